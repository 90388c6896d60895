#!/usr/bin/env bash
# Print the path of Helm, which lints and renders the chart in infra/helm (make chart-check),
# building it with Go from its module when missing or of another version (into run/bin, like
# toxiproxy and FerretDB): HELM overrides it. Go's build cache keeps a rebuild short.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
run=${PARTYORG_RUN_DIR:-$here/run}
version=v4.3.2
module=helm.sh/helm/v4
[ -n "${HELM:-}" ] && { echo "$HELM"; exit 0; }
binary=$run/bin/helm
if ! go version -m "$binary" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+$module[[:space:]]+$version[[:space:]]"; then
  command -v go >/dev/null || { echo "helm: install Go to build it" >&2; exit 1; }
  echo "helm: building $version (ten minutes the first time on a busy machine, once)" >&2
  mkdir -p "$run/bin" "$run/logs"
  # the version `helm version` prints, and no debug symbols, as Helm's release builds do
  GOBIN="$run/bin" go install -ldflags "-s -w -X $module/internal/version.version=$version" \
    "$module/cmd/helm@$version" >"$run/logs/helm-build.log" 2>&1 \
    || { cat "$run/logs/helm-build.log" >&2; exit 1; }
fi
echo "$binary"
