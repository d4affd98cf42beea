"""gunicorn settings for Kryptowelt (`gunicorn -c deploy/gunicorn.conf.py`), read from the
environment like everything else (docs/runbook.md, "Processes")."""

import multiprocessing
import os
from pathlib import Path

wsgi_app = "kryptowelt.wsgi:application"
# nginx in front talks to this address; never expose it directly.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8081")
# Page rendering is CPU-bound: about one worker per core, plus one to cover waits on the
# database and cache. nginx buffers slow clients, so sync workers are enough.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Load the app once, before forking: faster start, memory shared between workers.
preload_app = True
# Recycle workers now and then so a slow leak never grows without bound (not too often: under
# a wave of readers a worker serves a thousand cached pages a second).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = 5000
# Keep above nginx's proxy_read_timeout (25 s, deploy/nginx.conf), so readers get nginx's
# German 504 rather than the plain 500 gunicorn sends when it kills a worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# nginx in front bounds the request line (8 KB) and all headers (32 KB) and answers anything
# larger with a German page; gunicorn's own, smaller limits (a 4 KB line, 100 headers) would
# answer what nginx let through with an English plain-text 400. So they are nginx's alone.
limit_request_line = 0
limit_request_field_size = 0
limit_request_fields = 32768
graceful_timeout = 20
keepalive = 75
backlog = 2048
# Only nginx (on this machine) may tell us the client's address and scheme.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
proc_name = "kryptowelt"

# Prometheus metrics (kryptowelt/ops/metrics.py) over all workers: each worker writes its
# counts into this folder and a scrape of /metrics, whichever worker answers it, sums them.
# Set here, before the app (and prometheus_client) is loaded; emptied when gunicorn starts
# (counts of an earlier run would be added); an ended worker is marked dead (child_exit).
# Default: <KRYPTOWELT_VAR_DIR>/run/prometheus.
_var_dir = Path(
    os.environ.get("KRYPTOWELT_VAR_DIR") or Path(__file__).resolve().parent.parent / "var"
)
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_var_dir / "run" / "prometheus")


def on_starting(server):
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):  # only prometheus_client's files, whatever else is there
        stale.unlink(missing_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def when_ready(server):
    """Render the home page and the newest article once in the master, before it forks.

    A fresh process spends about a second on its first page (templates, URL patterns, lazy
    imports); done here, every worker and every recycled one inherits the result, and no
    reader waits for it. Connections are closed again so that no worker shares a socket."""
    if not preload_app:
        return
    from django.core.cache import caches
    from django.db import connections

    try:
        from django.conf import settings
        from django.test import Client

        from kryptowelt.news.models import ArticlePage

        host = next((h for h in settings.ALLOWED_HOSTS if "*" not in h), "localhost").lstrip(".")
        client = Client(HTTP_HOST=host)
        paths = ["/"]
        article = ArticlePage.objects.live().public().order_by("-first_published_at").first()
        if article is not None and article.url:
            paths.append(article.url)
        for path in paths:
            client.get(path, {"warm-up": "1"})  # a query parameter: not stored in the page cache
        server.log.info("Vorgewärmt: %s", ", ".join(paths))
    except Exception:  # noqa: BLE001 - warming up is optional, serving is not
        server.log.exception("Vorwärmen fehlgeschlagen; die Worker starten trotzdem")
    finally:
        connections.close_all()
        for cache in caches.all(initialized_only=True):
            cache.close()
