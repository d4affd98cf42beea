#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, from Debian's packages:
#   scripts/pg-test-cluster.sh start DIR [PORT]   → prints the DATABASE_URL to use
#   scripts/pg-test-cluster.sh stop DIR
# Lives entirely in DIR (data, socket, log) on 127.0.0.1:PORT (default ${PG_TEST_PORT:-5433}:
# the unit suite's; benchmarks pass their own so both can run at once); tuned for
# speed, not durability. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
set -euo pipefail
action=${1:?start oder stop}
dir=${2:?Ordner}
port=${3:-${PG_TEST_PORT:-5433}}
bindir=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
[[ -n "$bindir" ]] || { echo "PostgreSQL-Server fehlt (Debian-Paket postgresql)." >&2; exit 1; }
as_owner=()
[[ $(id -u) -eq 0 ]] && as_owner=(runuser -u postgres --)

case "$action" in
start)
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U kryptowelt -A trust -E UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log"
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
        start >/dev/null
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U kryptowelt kryptowelt
    echo "postgres://kryptowelt@127.0.0.1:$port/kryptowelt"
    ;;
stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "Aufruf: $0 start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
