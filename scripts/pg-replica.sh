#!/usr/bin/env bash
# Starts (or stops) a PostgreSQL primary and a hot standby streaming from it, both of our own, in a
# scratch directory and on their own ports; the machine's main server and its configuration are left
# as they are. The routing tests (RoutingSpec) read from the standby and write to the primary.
#
#   scripts/pg-replica.sh start    # primary on 127.0.0.1:5491, standby on 127.0.0.1:5492, database test
#   scripts/pg-replica.sh stop     # stops both and removes the scratch directory
#   scripts/pg-replica.sh status
#
# Environment: ATHANOR_REPLICA_DIR (default /tmp/athanor-replica), ATHANOR_REPLICA_PRIMARY_PORT
# (5491), ATHANOR_REPLICA_STANDBY_PORT (5492). Needs the PostgreSQL server binaries (initdb, pg_ctl,
# pg_basebackup; found through pg_config). Run as root, the servers run as the postgres user.
set -euo pipefail

DIR="${ATHANOR_REPLICA_DIR:-/tmp/athanor-replica}"
PPORT="${ATHANOR_REPLICA_PRIMARY_PORT:-5491}"
SPORT="${ATHANOR_REPLICA_STANDBY_PORT:-5492}"

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
  else
    dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)"
  fi
}
BIN="$(bindir)"
if [ ! -x "$BIN/initdb" ]; then
  echo "pg-replica: no PostgreSQL server binaries (initdb) found; install the PostgreSQL server" >&2
  exit 2
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { as_owner "$BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

start() {
  if [ -d "$DIR/prim" ] && running "$DIR/prim" && [ -d "$DIR/stby" ] && running "$DIR/stby"; then
    echo "pg-replica: already running (primary :$PPORT, standby :$SPORT)"
    return 0
  fi
  stop >/dev/null 2>&1 || true
  mkdir -p "$DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
  as_owner "$BIN/initdb" -D "$DIR/prim" -A trust -U postgres --no-sync >"$DIR/initdb.log" 2>&1
  as_owner sh -c "echo 'local replication all trust' >> '$DIR/prim/pg_hba.conf'"
  as_owner "$BIN/pg_ctl" -D "$DIR/prim" -w -o "-p $PPORT -k $DIR -c listen_addresses=127.0.0.1" \
    -l "$DIR/prim.log" start >/dev/null
  as_owner "$BIN/psql" -h "$DIR" -p "$PPORT" -U postgres -q -c "CREATE DATABASE test" postgres
  as_owner "$BIN/pg_basebackup" -h "$DIR" -p "$PPORT" -U postgres -D "$DIR/stby" -R -X stream -c fast --no-sync
  as_owner "$BIN/pg_ctl" -D "$DIR/stby" -w -o "-p $SPORT -k $DIR -c listen_addresses=127.0.0.1" \
    -l "$DIR/stby.log" start >/dev/null
  echo "pg-replica: primary on 127.0.0.1:$PPORT, hot standby on 127.0.0.1:$SPORT (database test)"
}

stop() {
  for d in stby prim; do
    if [ -d "$DIR/$d" ]; then as_owner "$BIN/pg_ctl" -D "$DIR/$d" -m fast stop >/dev/null 2>&1 || true; fi
  done
  rm -rf "$DIR"
  echo "pg-replica: stopped"
}

status() {
  for d in prim stby; do
    if [ -d "$DIR/$d" ] && running "$DIR/$d"; then echo "$d: running"; else echo "$d: stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 64 ;;
esac
