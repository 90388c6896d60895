#!/usr/bin/env bash
# Jaeger, the trace viewer, for `make traces` and `make up TRACES=1`, without Docker.
#   traces.sh up     start it when it does not run (building it with Go the first time)
#   traces.sh down   stop what this script started, and nothing else
#   traces.sh env    print the OTEL_* variables that send the suite's traces to it
# It keeps the last traces in memory, takes OTLP on :4318 (HTTP) and :4317 (gRPC), and answers
# on http://127.0.0.1:16686 (/api/traces?service=gateway, /api/traces/<trace id>). Jaeger's
# browser pages are not in its Go module (its release builds add them): a binary built here
# shows a placeholder page there; compose's `traces` profile runs the image, pages included.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
run=${PARTYORG_RUN_DIR:-$here/run}
jaeger_version=v1.75.0   # the Go module of Jaeger 2.12 (compose: jaegertracing/jaeger:2.12.0)
ui_port=16686
otlp_port=4318
mkdir -p "$run/bin" "$run/logs"

say() { printf 'traces: %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install_jaeger() {
  command -v go >/dev/null || { say "Jaeger is missing and so is Go: install Go"; return 1; }
  say "building Jaeger $jaeger_version from the Go module proxy (ten minutes or more, once)"
  local dir
  dir=$(go mod download -json "github.com/jaegertracing/jaeger@$jaeger_version" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  (cd "$dir" && go build -o "$run/bin/jaeger" ./cmd/jaeger) >"$run/logs/jaeger-build.log" 2>&1
}

start_jaeger() {
  if port_open "$ui_port"; then say "reusing the Jaeger on :$ui_port"; return 0; fi
  [ -x "$run/bin/jaeger" ] || install_jaeger
  say "starting Jaeger: traces on :$otlp_port, viewer on http://127.0.0.1:$ui_port"
  nohup "$run/bin/jaeger" >"$run/logs/jaeger.log" 2>&1 &
  echo $! >"$run/jaeger.pid"
  for _ in $(seq 120); do port_open "$ui_port" && return 0; sleep 0.5; done
  say "Jaeger did not open port $ui_port; see $run/logs/jaeger.log"; return 1
}

stop_jaeger() {
  [ -f "$run/jaeger.pid" ] || return 0
  kill "$(cat "$run/jaeger.pid")" 2>/dev/null && say "stopped Jaeger" || true
  rm -f "$run/jaeger.pid"
}

case ${1:-up} in
  up) start_jaeger ;;
  down) stop_jaeger ;;
  env) echo "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$otlp_port" ;;
  *) echo "usage: $0 up|down|env" >&2; exit 2 ;;
esac
