#!/usr/bin/env bash
# `make serve-production`: the production stack on loopback, with the local database.
#
#   nginx (proxy cache, PURGE)  http://127.0.0.1:${HTTP_PORT:-8080}
#     └─ gunicorn (kryptowelt.settings.production)  127.0.0.1:${APP_PORT:-8081}
#   redis (shared cache, unix socket), worker (background tasks), scheduler
#   PostgreSQL: a throwaway cluster of its own (scripts/pg-test-cluster.sh) on a free loopback
#   port, unless DATABASE_URL is given (e.g. sqlite:///$PWD/var/kryptowelt.sqlite3); its
#   URL is written to $VAR/run/database_url, and Ctrl+C removes it with all its data.
#
# Installs nginx, the cache-purge module and redis from Debian's packages if they are missing.
# Everything lives under $KRYPTOWELT_VAR_DIR (default ./var). Ctrl+C (or SIGTERM) stops all of
# it. The worker and the scheduler are supervised: one that ends (a crash, kill -9) is started
# again with back-off while nginx and gunicorn keep serving; their process ids are in
# $VAR/run/worker.pid and $VAR/run/scheduler.pid.
# Environment variables already set win over the loopback defaults below (.env.example).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-$ROOT/.venv}
KW="$VENV/bin/kryptowelt"
HTTP_PORT=${HTTP_PORT:-8080}
APP_PORT=${APP_PORT:-8081}
VAR=$(realpath -m "${KRYPTOWELT_VAR_DIR:-$ROOT/var}")
mkdir -p "$VAR"/{run,log}

scripts/ensure-debian-packages.sh nginx libnginx-mod-http-cache-purge redis-server postgresql

# --- configuration: production settings, loopback defaults -----------------------------------
export DJANGO_SETTINGS_MODULE=kryptowelt.settings.production
export KRYPTOWELT_VAR_DIR=$VAR
if [[ -z "${SECRET_KEY:-}" ]]; then
    [[ -s "$VAR/production_secret_key" ]] ||
        (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(64))' >"$VAR/production_secret_key")
    SECRET_KEY=$(<"$VAR/production_secret_key")
    export SECRET_KEY
fi
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SITE_URL=${SITE_URL:-http://127.0.0.1:$HTTP_PORT}
export CACHE_URL=${CACHE_URL:-redis://$VAR/run/redis.sock?db=0}
export CLIENT_IP_HEADER=${CLIENT_IP_HEADER:-HTTP_X_REAL_IP}
export GUNICORN_BIND=${GUNICORN_BIND:-127.0.0.1:$APP_PORT}
# Plain http on loopback: the https-only switches off (real production keeps the defaults).
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
export SECURE_COOKIES=${SECURE_COOKIES:-false}

pgdir=         # the throwaway PostgreSQL cluster's folder, when this script started one
pids=()        # the web tier: when one of its processes ends, everything stops
supervisors=() # Redis, worker and scheduler, each in its restart loop
stop_all() {
    trap - EXIT INT TERM
    # SIGINT: quick shutdown for gunicorn, nginx and redis. SIGTERM to the supervisors: they
    # pass it on, and the worker finishes its task first.
    for pid in "${supervisors[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${supervisors[@]}" "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    # The database last: the worker finished its task with it.
    [[ -z "$pgdir" ]] || scripts/pg-test-cluster.sh stop "$pgdir" || true
}
trap stop_all EXIT
trap 'exit 0' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$HTTP_PORT" "$APP_PORT"; do
    port_free "$port" || { echo "Port $port ist belegt – läuft schon ein Server?" >&2; exit 1; }
done

# --- database --------------------------------------------------------------------------------
# PostgreSQL as in production, in a cluster of its own: its own folder (reachable by the
# postgres user, unlike a private $VAR) and a free port the kernel picks, so it never meets the
# unit suite's cluster on 5433 (scripts/test.sh) nor a second stack. Start-up: about 2 s.
if [[ -z "${DATABASE_URL:-}" ]]; then
    pgdir=$(mktemp -d /tmp/kryptowelt-stack-pg.XXXXXX)
    pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    DATABASE_URL=$(PG_TEST_PORT=$pg_port scripts/pg-test-cluster.sh start "$pgdir") ||
        { echo "PostgreSQL startete nicht (Log: $pgdir/server.log)." >&2; exit 1; }
fi
export DATABASE_URL
(umask 077 && printf '%s\n' "$DATABASE_URL" >"$VAR/run/database_url")

# --- shared cache ----------------------------------------------------------------------------
# Redis holds only caches and counters: the site keeps serving while it is away (pages render
# uncached, kryptowelt/caching/redis.py). Like systemd's Restart=always, it is started again
# REDIS_RESTART_SECONDS after it ended; its pid is in run/redis.pid.
if [[ "$CACHE_URL" == "redis://$VAR/run/redis.sock"* ]]; then
    (
        child=
        trap '[[ -n $child ]] && kill -TERM "$child" 2>/dev/null; wait; exit 0' TERM
        while :; do
            rm -f "$VAR/run/redis.sock"
            redis-server --port 0 --unixsocket "$VAR/run/redis.sock" --unixsocketperm 700 \
                --save "" --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru \
                --logfile "$VAR/log/redis.log" --dir "$VAR/run" --pidfile "$VAR/run/redis.pid" &
            child=$!
            wait "$child" || true
            echo "Redis hat sich beendet – Neustart in ${REDIS_RESTART_SECONDS:-2} s." >&2
            sleep "${REDIS_RESTART_SECONDS:-2}" &
            child=$!
            wait "$child" || true
        done
    ) &
    supervisors+=($!)
    for _ in $(seq 50); do [[ -S "$VAR/run/redis.sock" ]] && break; sleep 0.1; done
fi

# --- database, static files, demo content ----------------------------------------------------
"$KW" migrate --noinput >"$VAR/log/migrate.log"
"$KW" collectstatic --noinput >"$VAR/log/collectstatic.log"
# The German pages nginx serves itself (413, 429, 502, …), written into the static folder.
"$KW" error_pages >/dev/null
"$KW" demo
"$KW" site_url
# A new deployment: nothing rendered by an older one may be served from the shared cache.
"$KW" caches_renew >/dev/null

# supervise NAME COMMAND…: run COMMAND, and run it again whenever it ends, after a pause that
# starts at 1 s and doubles (up to 30 s) while it keeps ending within a minute. SIGTERM ends
# the loop and the command. Runs in the background; the pid of the command is in
# $VAR/run/NAME.pid.
supervise() {
    local name=$1 delay=0 child="" started status
    shift
    trap 'kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; exit 0' TERM
    while true; do
        started=$SECONDS
        "$@" &
        child=$!
        # Written aside and renamed: a reader never finds the file empty (truncated by ">"
        # before the number is in it; the stack test that kills the scheduler read "" so).
        echo "$child" >"$VAR/run/$name.pid.new" && mv -f "$VAR/run/$name.pid.new" "$VAR/run/$name.pid"
        status=0
        wait "$child" || status=$?
        if ((SECONDS - started >= 60 || delay == 0)); then delay=1; else delay=$((delay * 2 > 30 ? 30 : delay * 2)); fi
        echo "$(date '+%F %T') $name (PID $child) hat sich beendet (Status $status) – Neustart in $delay s." >&2
        sleep "$delay" &
        child=$!
        wait "$child" || true
    done
}

# --- processes -------------------------------------------------------------------------------
# Purging starts now: the proxy cache starts empty, so the set-up above had nothing to purge.
export FRONTEND_CACHE_PURGE_URL=${FRONTEND_CACHE_PURGE_URL:-http://127.0.0.1:$HTTP_PORT/__purge}
"$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py &
pids+=($!)
supervise worker "$KW" worker --interval 0.2 --queue-name "*" >>"$VAR/log/worker.log" 2>&1 &
supervisors+=($!)
supervise scheduler "$KW" scheduler >>"$VAR/log/scheduler.log" 2>&1 &
supervisors+=($!)

rm -rf "$VAR/nginx/cache"
# Host names from ALLOWED_HOSTS, the editor cookie's secret from EDITOR_COOKIE_SECRET or
# SECRET_KEY, addresses without request limits from NGINX_LIMIT_EXEMPT (all in the environment).
python3 deploy/render_nginx.py --var-dir "$VAR" --listen "127.0.0.1:$HTTP_PORT" \
    --app "127.0.0.1:$APP_PORT" --access-log "${NGINX_ACCESS_LOG-$VAR/log/nginx-access.log}" \
    --views-log "${VIEWS_LOG_FILE:-$VAR/log/views.log}" \
    --user "$(id -un)" \
    --output "$VAR/nginx/nginx.conf"
nginx -c "$VAR/nginx/nginx.conf" -p "$VAR/nginx" -g "daemon off;" &
pids+=($!)

for _ in $(seq 600); do
    if curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/"; then
        echo "Kryptowelt (Produktionsaufbau) läuft auf http://127.0.0.1:$HTTP_PORT/ – beenden mit Strg+C."
        echo "Logs: $VAR/log/"
        [[ -z "$pgdir" ]] ||
            echo "Datenbank: eigener PostgreSQL-Cluster in $pgdir (Port $pg_port), wird beim Beenden gelöscht."
        # Ends when nginx, gunicorn or redis ends (the EXIT trap stops the rest); a worker or
        # scheduler that ends is restarted by its supervisor instead.
        wait -n "${pids[@]}"
        echo "Ein Prozess des Webservers hat sich beendet – alles wird gestoppt (Logs: $VAR/log/)." >&2
        exit 1
    fi
    sleep 0.2
done
echo "Der Server antwortet nicht (Logs: $VAR/log/)." >&2
exit 1
