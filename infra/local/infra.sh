#!/usr/bin/env bash
# Start, or reuse, the RabbitMQ and FerretDB that partyorg needs on this machine, without Docker.
#   infra.sh up      start what is not running (installing it first when missing, as root)
#   infra.sh down    stop what this script started, and nothing else
#   infra.sh env     print MONGODB_URL and AMQP_URL for the running infrastructure, and
#                    CITY_STREAM_URL: the read-only account of city systems on the public stream
# MONGODB_URL / AMQP_URL, when set, are used instead and nothing is started for them.
# FerretDB stores its data in a PostgreSQL of its own (Debian's `postgresql`, data and socket
# under run/, port POSTGRES_PORT): a filter there answers about 30 times faster than on the
# SQLite backend (bench/store). FERRETDB_HANDLER=sqlite starts it on SQLite instead.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
run=${PARTYORG_RUN_DIR:-$here/run}
mongo_port=${FERRETDB_PORT:-27017}
amqp_port=${RABBITMQ_PORT:-5672}
postgres_port=${POSTGRES_PORT:-54329}
handler=${FERRETDB_HANDLER:-postgresql}
ferretdb_pool=1800  # FerretDB's PostgreSQL connections (below max_connections, 2000)
# Go's garbage collector ran a quarter of FerretDB's CPU under a restructuring's writes at its
# default (100); at 400 it runs a quarter as often, for a heap of a few hundred MB at most
# (bench/store/settings.py)
ferretdb_gogc=${FERRETDB_GOGC:-400}
# city systems' read-only account: reads the public event stream, nothing else (as compose's
# `city`, infra/rabbitmq/users.py); a development password, printed by `make up`
city_stream_password=${CITY_STREAM_PASSWORD:-city-stream-local}
ferretdb_version=v1.24.2
mkdir -p "$run/ferretdb" "$run/ferretdb-state" "$run/logs"

say() { printf 'infra: %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 what=$2 tries=${3:-120}
  for _ in $(seq "$tries"); do port_open "$port" && return 0; sleep 0.5; done
  say "$what did not open port $port; see $run/logs"; return 1
}

ferretdb_bin() {
  local candidate
  for candidate in "$run/bin/ferretdb" "$(command -v ferretdb 2>/dev/null || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" --version >/dev/null 2>&1 \
      && { echo "$candidate"; return 0; }
  done
  return 1
}

# `go install` of FerretDB builds a binary that panics for want of build/version/version.txt,
# which its release process generates; build it from the module with that file written.
install_ferretdb() {
  command -v go >/dev/null || { say "FerretDB is missing and so is Go: install Go, or set MONGODB_URL"; return 1; }
  say "building FerretDB $ferretdb_version from the Go module proxy (about a minute)"
  local src dir
  dir=$(go mod download -json "github.com/FerretDB/FerretDB@$ferretdb_version" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  src="$run/ferretdb-src"
  rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  echo "$ferretdb_version" >"$src/build/version/version.txt"
  (cd "$src" && go build -o "$run/bin/ferretdb" ./cmd/ferretdb) >"$run/logs/ferretdb-build.log" 2>&1
  rm -rf "$src"
}

# Debian's server binaries live under /usr/lib/postgresql/<version>/bin, off the PATH
postgres_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

install_postgres() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's postgresql"
    (apt-get install -y -q postgresql || { apt-get update -q && apt-get install -y -q postgresql; }) \
      >>"$run/logs/apt.log" 2>&1
  else
    say "PostgreSQL is missing: install it (Debian: sudo apt-get install postgresql), set FERRETDB_HANDLER=sqlite, or set MONGODB_URL"
    return 1
  fi
}

# PostgreSQL refuses to run as root: as root, its data folder belongs to the postgres user
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# where the cluster lives: under run/, unless the postgres user cannot reach it (a checkout in
# root's home), then in a folder of its own named after run/
postgres_home() {
  if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$run/logs"; then echo "$run"
  else echo "/var/tmp/partyorg-postgresql-$(printf %s "$run" | md5sum | cut -c1-12)"; fi
}

start_postgres() {
  if port_open "$postgres_port"; then
    say "reusing the PostgreSQL on :$postgres_port"
    store_indexes  # this checkout's version of them, on a store an earlier one started
    return 0
  fi
  local bin home
  bin=$(postgres_bin) || { install_postgres && bin=$(postgres_bin); }
  home=$(postgres_home)
  local data=$home/postgresql socket=$home/postgresql-socket log=$home/logs/postgresql.log
  mkdir -p "$data" "$socket" "$home/logs"
  touch "$log"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$data" "$socket" "$log" && chmod 700 "$data"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating FerretDB's PostgreSQL cluster in $data"
    # trust on loopback only: a local store for one developer, never a deployment
    as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      >"$run/logs/postgresql-init.log" 2>&1
  fi
  say "starting PostgreSQL on :$postgres_port (data in $data)"
  as_postgres "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-p $postgres_port -c listen_addresses=127.0.0.1 -k $socket -c synchronous_commit=off -c shared_buffers=512MB -c max_connections=2000" \
    start >/dev/null
  echo started >"$run/postgresql.started"
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$postgres_port" -U postgres -qtAc \
    "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'" | grep -q 1 \
    || as_postgres "$bin/createdb" -h 127.0.0.1 -p "$postgres_port" -U postgres ferretdb
  store_indexes
}

# the declared indexes serve FerretDB's equality filters (see the file; idempotent)
store_indexes() {
  local bin
  bin=$(postgres_bin) || return 0
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$postgres_port" -U postgres -d ferretdb -qX \
    -v ON_ERROR_STOP=1 -f - <"$here/ferretdb-indexes.sql" >/dev/null \
    || say "could not apply ferretdb-indexes.sql to the PostgreSQL on :$postgres_port"
}

stop_postgres() {
  [ -f "$run/postgresql.started" ] || return 0
  local bin
  bin=$(postgres_bin) && as_postgres "$bin/pg_ctl" -D "$(postgres_home)/postgresql" -m fast stop >/dev/null 2>&1 \
    && say "stopped PostgreSQL" || true
  rm -f "$run/postgresql.started"
}

start_ferretdb() {
  if [ -n "${MONGODB_URL:-}" ]; then say "MONGODB_URL is set: using $MONGODB_URL"; return 0; fi
  if port_open "$mongo_port" && [ -f "$run/ferretdb.pid" ] && ferretdb_worn_out; then
    stop_ferretdb  # ours, and about to stop answering for good: started again below
  fi
  if port_open "$mongo_port"; then
    say "reusing the MongoDB-compatible server on :$mongo_port"
    # a FerretDB over our PostgreSQL: this checkout's version of the indexes' companions
    if [ "$handler" = postgresql ] && port_open "$postgres_port"; then store_indexes; fi
    return 0
  fi
  local bin
  bin=$(ferretdb_bin) || { install_ferretdb && bin=$(ferretdb_bin); }
  local backend
  case $handler in
    postgresql)
      start_postgres
      # FerretDB's pool of PostgreSQL connections deadlocks once every connection is taken by
      # an operation waiting on its catalogue's lock while a collection or an index is made
      # (seen with the default pool at 200 concurrent updates, and with 1,000 under parallel
      # test runs): a pool far above what the services open together (MONGODB_MAX_POOL_SIZE,
      # 40 each) and below PostgreSQL's max_connections
      backend=(--handler=postgresql
        "--postgresql-url=postgres://postgres@127.0.0.1:$postgres_port/ferretdb?pool_max_conns=$ferretdb_pool")
      say "starting FerretDB on :$mongo_port (PostgreSQL on :$postgres_port)" ;;
    sqlite)
      backend=(--handler=sqlite "--sqlite-url=file:$run/ferretdb/")
      say "starting FerretDB on :$mongo_port (SQLite data in $run/ferretdb)" ;;
    *) say "FERRETDB_HANDLER must be postgresql or sqlite, not $handler"; return 1 ;;
  esac
  # its state file goes under run/, not the working directory; at WARN it logs no query (DEBUG
  # would log the documents, personal data included)
  GOGC=$ferretdb_gogc nohup "$bin" "${backend[@]}" --state-dir="$run/ferretdb-state" \
    --listen-addr="127.0.0.1:$mongo_port" --debug-addr="${FERRETDB_DEBUG_ADDR:--}" --telemetry=disable --log-level=warn \
    >"$run/logs/ferretdb.log" 2>&1 &
  echo $! >"$run/ferretdb.pid"
  wait_port "$mongo_port" FerretDB
}

start_rabbitmq() {
  if [ -n "${AMQP_URL:-}" ]; then say "AMQP_URL is set: using it"; return 0; fi
  if port_open "$amqp_port"; then say "reusing the RabbitMQ on :$amqp_port"; return 0; fi
  if ! command -v rabbitmq-server >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing Debian's rabbitmq-server"
      (apt-get install -y -q rabbitmq-server || { apt-get update -q && apt-get install -y -q rabbitmq-server; }) \
        >"$run/logs/apt.log" 2>&1
      # the package starts its own broker where an init system runs; we manage ours below
      rabbitmqctl -q stop >/dev/null 2>&1 || true
    else
      say "RabbitMQ is missing: install it (Debian: sudo apt-get install rabbitmq-server) or set AMQP_URL"
      return 1
    fi
  fi
  # Debian's wrapper runs the broker as the rabbitmq user with its own data and log folders
  say "starting RabbitMQ on :$amqp_port (logs in /var/log/rabbitmq)"
  RABBITMQ_NODE_PORT=$amqp_port rabbitmq-server -detached >"$run/logs/rabbitmq.log" 2>&1
  echo started >"$run/rabbitmq.started"
  wait_port "$amqp_port" RabbitMQ 240
}

# idempotent: made once, its password and permissions set again at every `up`
city_stream_account() {
  if [ -n "${AMQP_URL:-}" ] || ! command -v rabbitmqctl >/dev/null; then return 0; fi
  rabbitmqctl -q list_users 2>/dev/null | grep -q '^city[[:space:]]' \
    || rabbitmqctl -q add_user city "$city_stream_password" >/dev/null
  rabbitmqctl -q change_password city "$city_stream_password" >/dev/null
  rabbitmqctl -q set_permissions -p / city '^$' '^$' '^partyorg\.events\.stream$' >/dev/null
}

# FerretDB 1.24 keeps a PostgreSQL connection for each cursor left open, and keeps the
# cursors of clients that went away (killed processes, cut connections); once its pool is all
# taken, it waits for ever. Ours is started again before that, when a command reuses it.
ferretdb_worn_out() {
  [ "$handler" = postgresql ] || return 1
  local bin taken
  bin=$(postgres_bin) || return 1
  taken=$(as_postgres "$bin/psql" -h 127.0.0.1 -p "$postgres_port" -U postgres -qtAc \
    "SELECT count(*) FROM pg_stat_activity WHERE datname = 'ferretdb'" 2>/dev/null) || return 1
  if [ "${taken:-0}" -ge $((ferretdb_pool * 5 / 6)) ]; then
    say "FerretDB holds $taken of its $ferretdb_pool PostgreSQL connections: starting it again"
    return 0
  fi
  return 1
}

stop_ferretdb() {
  [ -f "$run/ferretdb.pid" ] || return 0
  local pid
  pid=$(cat "$run/ferretdb.pid")
  if kill "$pid" 2>/dev/null; then
    # it closes its port at once but finishes open operations first
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    # one stuck on an operation that never ends does not stop by itself
    kill -9 "$pid" 2>/dev/null || true
    say "stopped FerretDB"
  fi
  rm -f "$run/ferretdb.pid"
}

stop_rabbitmq() {
  [ -f "$run/rabbitmq.started" ] || return 0
  rabbitmqctl -q stop >/dev/null 2>&1 && say "stopped RabbitMQ" || true
  rm -f "$run/rabbitmq.started"
}

case ${1:-up} in
  up) start_ferretdb; start_rabbitmq; city_stream_account ;;
  down) stop_rabbitmq; stop_ferretdb; stop_postgres ;;
  # the FerretDB binary (built here if missing), for tests that run a store of their own: the
  # store `up` reuses may have been started from another checkout
  ferretdb-binary) ferretdb_bin >/dev/null || install_ferretdb; ferretdb_bin ;;
  env)
    echo "MONGODB_URL=${MONGODB_URL:-mongodb://127.0.0.1:$mongo_port/}"
    echo "AMQP_URL=${AMQP_URL:-amqp://guest:guest@127.0.0.1:$amqp_port/}"
    echo "CITY_STREAM_URL=${CITY_STREAM_URL:-amqp://city:$city_stream_password@127.0.0.1:$amqp_port/}" ;;
  *) echo "usage: $0 up|down|env|ferretdb-binary" >&2; exit 2 ;;
esac
