#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temporary folder, owned by the
# postgres user, on a free port; prints DATABASE_URL for its one database (UTF-8, C collation so text
# sorts as on SQLite, C.UTF-8 character classes so pg_trgm sees Chinese, Tibetan and Yi letters).
#   eval "$(scripts/pg-throwaway.sh start)"   # exports DATABASE_URL and PG_THROWAWAY_DIR
#   scripts/pg-throwaway.sh stop "$PG_THROWAWAY_DIR"
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }

case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/pg-throwaway.XXXXXX)
  chown postgres "$dir"
  port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --lc-collate=C >/dev/null
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres PG_THROWAWAY_DIR=$dir PG_THROWAWAY_PORT=$port"
  ;;
restart)
  as_postgres "$bin/pg_ctl" -D "$2/data" -l "$2/log" -m fast -w restart >/dev/null
  ;;
stop)
  [ -d "${2:-}" ] || exit 0
  as_postgres "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null || true
  rm -rf "$2"
  ;;
*)
  echo "usage: $0 start | restart DIR | stop DIR" >&2
  exit 2
  ;;
esac
