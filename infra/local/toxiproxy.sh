#!/usr/bin/env bash
# Print the path of toxiproxy's server, the fault proxy of tests/faults, building it with Go
# from its module when missing (into run/bin, like FerretDB): TOXIPROXY_SERVER overrides it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
run=${PARTYORG_RUN_DIR:-$here/run}
version=v2.12.0
binary=${TOXIPROXY_SERVER:-$run/bin/toxiproxy-server}
if [ ! -x "$binary" ]; then
  command -v go >/dev/null || { echo "toxiproxy: install Go to build it" >&2; exit 1; }
  echo "toxiproxy: building $version (about a minute)" >&2
  mkdir -p "$run/bin" "$run/logs"
  GOBIN="$run/bin" go install "github.com/Shopify/toxiproxy/v2/cmd/server@$version" \
    >"$run/logs/toxiproxy-build.log" 2>&1
  mv "$run/bin/server" "$binary"
fi
echo "$binary"
