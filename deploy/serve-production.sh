#!/usr/bin/env bash
# `make serve-production`: the production stack on loopback, with the local database.
#
#   nginx (proxy cache, PURGE)  http://127.0.0.1:${HTTP_PORT:-8080}
#     └─ gunicorn (kryptowelt.settings.production)  127.0.0.1:${APP_PORT:-8081}
#   redis (shared cache, unix socket), db_worker (background tasks), scheduler
#
# Installs nginx, the cache-purge module and redis from Debian's packages if they are missing.
# Everything lives under $KRYPTOWELT_VAR_DIR (default ./var). Ctrl+C stops all of it.
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

scripts/ensure-debian-packages.sh nginx libnginx-mod-http-cache-purge redis-server

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
export DATABASE_URL=${DATABASE_URL:-sqlite:///$VAR/kryptowelt.sqlite3}
export CACHE_URL=${CACHE_URL:-redis://$VAR/run/redis.sock?db=0}
export CLIENT_IP_HEADER=${CLIENT_IP_HEADER:-HTTP_X_REAL_IP}
export GUNICORN_BIND=${GUNICORN_BIND:-127.0.0.1:$APP_PORT}
# Plain http on loopback: the https-only switches off (real production keeps the defaults).
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
export SECURE_COOKIES=${SECURE_COOKIES:-false}

pids=()
stop_all() {
    trap - EXIT INT TERM
    # SIGINT: quick shutdown for gunicorn, nginx and redis; the workers finish their task.
    for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 0' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$HTTP_PORT" "$APP_PORT"; do
    port_free "$port" || { echo "Port $port ist belegt – läuft schon ein Server?" >&2; exit 1; }
done

# --- shared cache ----------------------------------------------------------------------------
if [[ "$CACHE_URL" == "redis://$VAR/run/redis.sock"* ]]; then
    rm -f "$VAR/run/redis.sock"
    redis-server --port 0 --unixsocket "$VAR/run/redis.sock" --unixsocketperm 700 \
        --save "" --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru \
        --logfile "$VAR/log/redis.log" --dir "$VAR/run" &
    pids+=($!)
    for _ in $(seq 50); do [[ -S "$VAR/run/redis.sock" ]] && break; sleep 0.1; done
fi

# --- database, static files, demo content ----------------------------------------------------
"$KW" migrate --noinput >"$VAR/log/migrate.log"
"$KW" collectstatic --noinput >"$VAR/log/collectstatic.log"
"$KW" demo
"$KW" site_url
# A new deployment: nothing rendered by an older one may be served from the shared cache.
"$KW" caches_renew >/dev/null

# --- processes -------------------------------------------------------------------------------
# Purging starts now: the proxy cache starts empty, so the set-up above had nothing to purge.
export FRONTEND_CACHE_PURGE_URL=${FRONTEND_CACHE_PURGE_URL:-http://127.0.0.1:$HTTP_PORT/__purge}
"$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py &
pids+=($!)
"$KW" db_worker --interval 0.2 --queue-name "*" --no-reload >>"$VAR/log/worker.log" 2>&1 &
pids+=($!)
"$KW" scheduler >>"$VAR/log/scheduler.log" 2>&1 &
pids+=($!)

rm -rf "$VAR/nginx/cache"
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
        # Ends when any of the processes ends; the EXIT trap stops the others.
        wait -n "${pids[@]}"
        echo "Ein Prozess hat sich beendet – alles wird gestoppt (Logs: $VAR/log/)." >&2
        exit 1
    fi
    sleep 0.2
done
echo "Der Server antwortet nicht (Logs: $VAR/log/)." >&2
exit 1
