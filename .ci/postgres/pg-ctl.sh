#!/usr/bin/env bash
# pg-ctl.sh — a private, throw-away PostgreSQL cluster on 127.0.0.1 for tests (the JDBC letter ledger, the Kafka
# scale-out example). It never touches a system cluster: its own data folder, its own port, loopback only.
#
#   pg-ctl.sh start   DIR [options]  (re)create the cluster in DIR/data and start it; waits until it accepts
#                                    connections, then creates the test user and database. A cluster already
#                                    running from DIR (a crashed earlier run) is stopped first. The last line on
#                                    stdout is the JDBC URL: jdbc:postgresql://127.0.0.1:PORT/DATABASE
#   pg-ctl.sh stop    DIR            stop it (fast, then immediate, then SIGKILL); afterwards no process of the
#                                    cluster is left. A no-op when nothing runs.
#   pg-ctl.sh status  DIR            exit 0 and print the cluster when running, else exit 1.
#   pg-ctl.sh resolve DIR            print the folder to use for DIR: DIR itself when the user "postgres" can reach
#                                    it, else /tmp/camel-smtp-letter-postgres-<12 hex of sha256(DIR)>. Creates nothing.
#
# Options of start (defaults in brackets):
#   --port N             [15432] TCP port on 127.0.0.1 (no other address is listened on)
#   --user NAME          [letters] the test user (LOGIN, owner of the database), password authentication
#   --password SECRET    [letters] its password (scram-sha-256)
#   --database NAME      [letters] the test database
#   --wait-seconds N     [60] how long to wait for start and stop
#
# Needs root (the server runs as the user "postgres": initdb and pg_ctl are run through runuser) and Debian's
# PostgreSQL server binaries (apt-get install postgresql-15, or postgresql; PG_BIN=/path/bin picks others;
# default: the newest /usr/lib/postgresql/*/bin). Layout of DIR (absolute, [A-Za-z0-9._/+@-] only, short enough for
# a Unix socket path): data/ (the cluster, owned by postgres, 0700), postgres.log, instance.properties, and the
# Unix socket .s.PGSQL.PORT (used only by this script, as user postgres, peer authentication).
set -euo pipefail

PROG=$(basename "$0")
die() { echo "$PROG: $*" >&2; exit 1; }
info() { echo "$PROG: $*" >&2; }

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 2 ] || usage
CMD=$1
DIR_ARG=$2
shift 2
case "$DIR_ARG" in
  /*) ;;
  *) DIR_ARG="$PWD/$DIR_ARG" ;;
esac
DIR=$(realpath -m -- "$DIR_ARG")
[[ "$DIR" =~ ^/[A-Za-z0-9._/+@-]+$ ]] || die "DIR must be an absolute path of [A-Za-z0-9._/+@-] only: $DIR"
[ "$DIR" != "/" ] || die "refusing DIR=/"
DATA="$DIR/data"

PORT=15432
DB_USER=letters
DB_PASSWORD=letters
DB_NAME=letters
WAIT=60

fallback_dir() {
  printf '/tmp/camel-smtp-letter-postgres-%s\n' "$(printf '%s' "$DIR" | sha256sum | cut -c1-12)"
}

# whether the user postgres can reach DIR: the nearest existing folder of DIR must be searchable for it
reachable_by_postgres() {
  local probe=$DIR
  while [ ! -e "$probe" ]; do
    probe=$(dirname -- "$probe")
  done
  [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1 || return 0
  getent passwd postgres >/dev/null || return 0
  runuser -u postgres -- test -x "$probe" 2>/dev/null
}

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    printf '%s\n' "$PG_BIN"
    return
  fi
  local v
  v=$(ls -1 /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
  [ -n "$v" ] || die "no PostgreSQL server binaries in /usr/lib/postgresql (apt-get install postgresql)"
  printf '/usr/lib/postgresql/%s/bin\n' "$v"
}

as_postgres() {
  runuser -u postgres -- "$@"
}

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (the cluster runs as the user postgres, started through runuser)"
  command -v runuser >/dev/null 2>&1 || die "runuser (util-linux) is missing"
  getent passwd postgres >/dev/null || die "no user 'postgres' (apt-get install postgresql)"
}

running_pid() {
  local pid
  [ -f "$DATA/postmaster.pid" ] || return 1
  pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # the process must be a postgres server of this data folder
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$DATA" || return 1
  printf '%s\n' "$pid"
}

wait_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

do_stop() {
  local pid bin
  pid=$(running_pid) || { return 0; }
  bin=$(pg_bin)
  info "stopping the cluster in $DATA (pid $pid)"
  as_postgres "$bin/pg_ctl" -D "$DATA" -m fast -w -t "$WAIT" stop >/dev/null 2>&1 \
    || as_postgres "$bin/pg_ctl" -D "$DATA" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
  if ! wait_gone "$pid" 10; then
    info "the server ignored pg_ctl stop: killing its process group"
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "could not stop pid $pid"
  fi
  # a child left behind by an immediate stop or a kill (the backends exit on their own shortly)
  local deadline=$((SECONDS + 10))
  while pgrep -f -- "-D $DATA" >/dev/null 2>&1 && [ $SECONDS -lt $deadline ]; do
    sleep 0.2
  done
}

do_start() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) PORT=$2; shift 2 ;;
      --user) DB_USER=$2; shift 2 ;;
      --password) DB_PASSWORD=$2; shift 2 ;;
      --database) DB_NAME=$2; shift 2 ;;
      --wait-seconds) WAIT=$2; shift 2 ;;
      *) die "unknown option: $1" ;;
    esac
  done
  [[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65535 ] || die "bad --port: $PORT"
  [[ "$DB_USER" =~ ^[a-z_][a-z0-9_]*$ ]] || die "bad --user (lower-case letters, digits, _): $DB_USER"
  [[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]*$ ]] || die "bad --database (lower-case letters, digits, _): $DB_NAME"
  [[ "$DB_PASSWORD" != *"'"* ]] || die "--password must not contain a single quote"
  [[ "$WAIT" =~ ^[0-9]+$ ]] || die "bad --wait-seconds: $WAIT"
  [ ${#DIR} -le 80 ] || die "DIR is too long for a Unix socket path (max 80 characters): $DIR"
  require_root
  local bin
  bin=$(pg_bin)
  [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && [ -x "$bin/psql" ] || die "initdb/pg_ctl/psql missing in $bin"

  do_stop
  rm -rf -- "$DATA"
  mkdir -p -- "$DIR"
  chown postgres: "$DIR"
  chmod 0700 "$DIR"
  local pwfile
  pwfile=$(mktemp "$DIR/.pw.XXXXXX")
  printf 'postgres-%s\n' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" > "$pwfile"
  chown postgres: "$pwfile"
  as_postgres "$bin/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale --auth-local=peer \
    --auth-host=scram-sha-256 --pwfile="$pwfile" >"$DIR/initdb.log" 2>&1 \
    || { rm -f "$pwfile"; cat "$DIR/initdb.log" >&2; die "initdb failed"; }
  rm -f "$pwfile"
  cat >> "$DATA/postgresql.conf" <<CONF
# pg-ctl.sh: a private test cluster, loopback only, durability traded for speed
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
logging_collector = off
CONF
  cat > "$DATA/pg_hba.conf" <<HBA
local all postgres peer
host  all all 127.0.0.1/32 scram-sha-256
HBA
  if ! as_postgres "$bin/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -w -t "$WAIT" start >/dev/null; then
    tail -n 30 "$DIR/postgres.log" >&2 || true
    do_stop
    die "the cluster did not start within $WAIT s (port $PORT in use?)"
  fi
  if ! as_postgres "$bin/psql" -X -q -h "$DIR" -p "$PORT" -d postgres -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" \
      -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >/dev/null; then
    do_stop
    die "could not create the user and database"
  fi
  printf 'port=%s\nuser=%s\ndatabase=%s\nurl=jdbc:postgresql://127.0.0.1:%s/%s\n' \
    "$PORT" "$DB_USER" "$DB_NAME" "$PORT" "$DB_NAME" > "$DIR/instance.properties"
  info "started: 127.0.0.1:$PORT, database $DB_NAME, user $DB_USER (log: $DIR/postgres.log)"
  printf 'jdbc:postgresql://127.0.0.1:%s/%s\n' "$PORT" "$DB_NAME"
}

case "$CMD" in
  start) do_start "$@" ;;
  stop) [ "$(id -u)" -eq 0 ] || { running_pid >/dev/null || exit 0; die "must run as root"; }; do_stop ;;
  status)
    if pid=$(running_pid); then
      echo "running: pid $pid, $(grep -h '^url=' "$DIR/instance.properties" 2>/dev/null | cut -d= -f2-)"
    else
      echo "not running ($DIR)"
      exit 1
    fi
    ;;
  resolve)
    if reachable_by_postgres; then printf '%s\n' "$DIR"; else fallback_dir; fi
    ;;
  *) usage ;;
esac
