#!/usr/bin/env bash
# pgbouncer in transaction pooling mode in front of a PostgreSQL server, for the tests:
#   scripts/pgbouncer-test.sh start DIR PG_PORT [PORT]  → prints the DATABASE_URL through it
#   scripts/pgbouncer-test.sh stop DIR
# Listens on 127.0.0.1:PORT (default: a free port); clients log in with a password from its
# auth_file (user kryptowelt), it logs in to the server at 127.0.0.1:PG_PORT (database and
# user kryptowelt, as scripts/pg-test-cluster.sh makes them). Everything lives in DIR.
# PGBOUNCER_RESET_ALWAYS=1 resets every server connection after each transaction (DISCARD
# ALL), so that nothing a client leaves on one survives into its next transaction: what a busy
# pool does by chance, on every run. pgbouncer refuses to run as root, so as root it runs as
# `postgres`.
set -euo pipefail
action=${1:?start oder stop}
dir=${2:?Ordner}
command -v pgbouncer >/dev/null || [[ -x /usr/sbin/pgbouncer ]] ||
    { echo "pgbouncer fehlt (Debian-Paket pgbouncer)." >&2; exit 1; }
bouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
as_owner=()
[[ $(id -u) -eq 0 ]] && as_owner=(runuser -u postgres --)

case "$action" in
start)
    pg_port=${3:?Port des PostgreSQL-Servers}
    port=${4:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    mkdir -p "$dir"
    printf '"kryptowelt" "%s"\n' "$password" >"$dir/userlist.txt"
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
kryptowelt = host=127.0.0.1 port=$pg_port dbname=kryptowelt user=kryptowelt

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
pool_mode = transaction
auth_type = md5
auth_file = $dir/userlist.txt
default_pool_size = 4
min_pool_size = 3
max_client_conn = 100
server_reset_query = DISCARD ALL
server_reset_query_always = ${PGBOUNCER_RESET_ALWAYS:-0}
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    chmod 600 "$dir/userlist.txt" "$dir/pgbouncer.ini"
    [[ $(id -u) -eq 0 ]] && chown -R postgres: "$dir"
    "${as_owner[@]}" "$bouncer" -d "$dir/pgbouncer.ini" ||
        { echo "pgbouncer startete nicht (Log: $dir/pgbouncer.log)." >&2; exit 1; }
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
    echo "postgres://kryptowelt:$password@127.0.0.1:$port/kryptowelt"
    ;;
stop)
    if [[ -f "$dir/pgbouncer.pid" ]]; then
        kill -TERM "$(<"$dir/pgbouncer.pid")" 2>/dev/null || true
        for _ in $(seq 50); do [[ -f "$dir/pgbouncer.pid" ]] || break; sleep 0.1; done
    fi
    rm -rf "$dir"
    ;;
*)
    echo "Aufruf: $0 start DIR PG_PORT [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
