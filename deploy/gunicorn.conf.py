"""gunicorn settings for Kryptowelt (`gunicorn -c deploy/gunicorn.conf.py`), read from the
environment like everything else (docs/runbook.md, "Processes")."""

import multiprocessing
import os

wsgi_app = "kryptowelt.wsgi:application"
# nginx in front talks to this address; never expose it directly.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8081")
# Page rendering is CPU-bound: about one worker per core, plus one to cover waits on the
# database and cache. nginx buffers slow clients, so sync workers are enough.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Load the app once, before forking: faster start, memory shared between workers.
preload_app = True
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 75
backlog = 2048
# Only nginx (on this machine) may tell us the client's address and scheme.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
proc_name = "kryptowelt"
