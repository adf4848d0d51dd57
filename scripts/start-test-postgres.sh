#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: a new data folder under $TMPDIR, a free port
# on 127.0.0.1, trust authentication, no fsync. Three ways to call it:
#
#   scripts/start-test-postgres.sh -- COMMAND...   run COMMAND with METERUSAGE_TEST_POSTGRES_URL
#                                                  set, then stop and delete the cluster
#   scripts/start-test-postgres.sh                 start one and print, for eval, its URL and
#                                                  folder; it runs until stopped
#   scripts/start-test-postgres.sh --stop FOLDER   stop that cluster and delete its folder
#   scripts/start-test-postgres.sh --pause FOLDER  stop that cluster's server, keeping its data
#   scripts/start-test-postgres.sh --resume FOLDER start it again, on the same port
#
# With -- and METERUSAGE_TEST_POSTGRES_URL already set, or with no PostgreSQL installed,
# COMMAND runs as it is (the PostgreSQL tests then skip and say why).
# initdb refuses to run as root, so as root the cluster belongs to METERUSAGE_TEST_POSTGRES_USER
# (default postgres, else nobody).
set -euo pipefail

find_bin() {
  if command -v initdb >/dev/null 2>&1; then
    # Follow links: createdb and pg_ctl are beside the real initdb, not always beside a link to it.
    dirname "$(readlink -f "$(command -v initdb)")"
    return
  fi
  # Debian and Ubuntu keep the server programs out of PATH, one folder per major version.
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$newest" ] && [ -x "$newest/initdb" ] && echo "$newest"
}

# As root, sets $owner and the command prefix that runs a program as that user.
owner=""
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  owner=${METERUSAGE_TEST_POSTGRES_USER:-}
  if [ -z "$owner" ]; then
    if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
  fi
  as_owner=(runuser -u "$owner" --)
fi

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

stop() {
  local folder=$1
  [ -d "$folder/data" ] || { echo "start-test-postgres: no cluster in $folder" >&2; return 1; }
  local bin
  bin=$(cat "$folder/bin")
  "${as_owner[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}

pause() {
  local folder=$1
  "${as_owner[@]}" "$(cat "$folder/bin")/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null
}

# Starts the server of a cluster whose options start() saved.
resume() {
  local folder=$1
  "${as_owner[@]}" "$(cat "$folder/bin")/pg_ctl" -D "$folder/data" -l "$folder/data/server.log" -w -o "$(cat "$folder/options")" start >/dev/null
}

# Starts a cluster and sets $folder and $url.
start() {
  local bin
  bin=$(find_bin) || { echo "start-test-postgres: no PostgreSQL found (initdb is neither in PATH nor in /usr/lib/postgresql/*/bin)" >&2; return 1; }
  folder=$(mktemp -d "${TMPDIR:-/tmp}/meterusage-pg.XXXXXX")
  echo "$bin" >"$folder/bin"
  [ -n "$owner" ] && chown "$owner" "$folder"
  local port
  port=$(free_port)
  if ! "${as_owner[@]}" "$bin/initdb" -D "$folder/data" -U meterusage -A trust -E UTF8 --locale=C --no-sync >"$folder/initdb.log" 2>&1; then
    cat "$folder/initdb.log" >&2
    rm -rf "$folder"
    return 1
  fi
  # The socket goes into the cluster's own folder: the system's socket folder may not be writable.
  echo "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$folder -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >"$folder/options"
  if ! resume "$folder"; then
    cat "$folder/data/server.log" >&2
    stop "$folder"
    return 1
  fi
  if ! "${as_owner[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U meterusage meterusage; then
    stop "$folder"
    return 1
  fi
  url="postgres://meterusage@127.0.0.1:$port/meterusage"
}

case "${1:-}" in
  --stop)
    stop "${2:?usage: start-test-postgres.sh --stop FOLDER}"
    ;;
  --pause)
    pause "${2:?usage: start-test-postgres.sh --pause FOLDER}"
    ;;
  --resume)
    resume "${2:?usage: start-test-postgres.sh --resume FOLDER}"
    ;;
  --)
    shift
    if [ -n "${METERUSAGE_TEST_POSTGRES_URL:-}" ]; then exec "$@"; fi
    if ! start; then
      echo "start-test-postgres: running without PostgreSQL; its tests will be skipped" >&2
      exec "$@"
    fi
    trap 'stop "$folder"' EXIT
    trap 'exit 130' INT TERM
    echo "start-test-postgres: PostgreSQL for the tests at $url" >&2
    status=0
    METERUSAGE_TEST_POSTGRES_URL=$url "$@" || status=$?
    exit "$status"
    ;;
  "")
    start
    echo "export METERUSAGE_TEST_POSTGRES_URL=$url"
    echo "export METERUSAGE_TEST_POSTGRES_FOLDER=$folder"
    echo "# stop it with: $0 --stop $folder"
    ;;
  *)
    echo "usage: $0 [-- COMMAND... | --stop FOLDER | --pause FOLDER | --resume FOLDER]" >&2
    exit 2
    ;;
esac
