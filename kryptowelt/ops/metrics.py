"""Prometheus metrics at `/metrics`, for addresses in `METRICS_ALLOWED_IPS` only (others get
a 404, as if there were nothing).

| metric | what |
| --- | --- |
| `kryptowelt_http_requests_total{kind,method,status}` | requests answered by the app; `status` as a class (`2xx`…) |
| `kryptowelt_http_request_duration_seconds{kind}` | time in the app (histogram) |
| `kryptowelt_page_cache_total{result}` | whole-page cache (kryptowelt/caching/pages.py): `hit`, `miss` |
| `kryptowelt_task_queue_length` | tasks ready to run |
| `kryptowelt_task_queue_oldest_age_seconds` | how long the oldest of them waits |
| `kryptowelt_data_age_seconds{of}` | seconds since the newest data / last success (`market_data`, `market_sync`) |
| `kryptowelt_up` | 1: the scrape reached the app |

`kind` is what answered, never the raw path (which would give unbounded label values): the
page type of a Wagtail page (`page:ArticlePage`, with the route name of a routable page:
`page:MarketsIndexPage:coin`), a named view (`view:search`), `admin`, `static`, `media`,
`page_cache` (served whole from the shared cache), `ops` (these endpoints), `unresolved`.

Several gunicorn workers: with `PROMETHEUS_MULTIPROC_DIR` set (an empty folder per start,
deploy/gunicorn.conf.py clears it and marks ended workers), each worker writes its counts
there and a scrape sums them over all workers; without it, each process counts only itself.
The queue and age gauges are read from the database at scrape time.
"""

from __future__ import annotations

import ipaddress
import logging
import os

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from kryptowelt.core.security import client_ip
from kryptowelt.ops import health

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "kryptowelt_http_requests",
    "HTTP-Anfragen, die die App beantwortet hat",
    ["kind", "method", "status"],
)
LATENCY = Histogram(
    "kryptowelt_http_request_duration_seconds",
    "Antwortzeit der App in Sekunden",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
PAGE_CACHE = Counter(
    "kryptowelt_page_cache",
    "Anfragen an den Seiten-Cache der App (ganze Seiten)",
    ["result"],
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def observe(*, kind: str, method: str, status: int, seconds: float, page_cache: str) -> None:
    method = method if method in METHODS else "OTHER"
    REQUESTS.labels(kind=kind, method=method, status=f"{status // 100}xx").inc()
    LATENCY.labels(kind=kind).observe(seconds)
    if page_cache in ("HIT", "MISS"):
        PAGE_CACHE.labels(result=page_cache.lower()).inc()


class DatabaseCollector:
    """Gauges read from the database at scrape time (the same numbers as /readyz)."""

    def collect(self):
        up = GaugeMetricFamily("kryptowelt_up", "1: die App hat geantwortet")
        up.add_metric([], 1)
        yield up
        now = timezone.now()
        try:
            queue = health.task_queue(now)
            times = health.latest_times()
        except Exception:  # noqa: BLE001 - a scrape without these gauges beats a failed one
            logger.warning("Metriken: Datenbank nicht lesbar", exc_info=True)
            return
        if queue is not None:
            yield GaugeMetricFamily(
                "kryptowelt_task_queue_length", "Aufgaben, die auf einen Worker warten", queue[0]
            )
            yield GaugeMetricFamily(
                "kryptowelt_task_queue_oldest_age_seconds",
                "Wartezeit der ältesten wartenden Aufgabe in Sekunden",
                queue[1] or 0,
            )
        ages = GaugeMetricFamily(
            "kryptowelt_data_age_seconds",
            "Sekunden seit den neuesten Daten bzw. dem letzten Erfolg (fehlt: noch nie)",
            labels=["of"],
        )
        for name, moment in times.items():
            if moment is not None:
                ages.add_metric([name], max(0.0, (now - moment).total_seconds()))
        yield ages


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.METRICS_ALLOWED_IPS]


def _allowed_address(value: str, networks) -> bool:
    try:
        address = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def scrape_allowed(request) -> bool:
    """Both the reader's address (`client_ip`: the header nginx sets, else the socket) and the
    socket's peer must be allowed. Behind nginx the peer is nginx (127.0.0.1), and nginx
    overwrites X-Real-IP, so a forged header from outside gets nowhere; sent straight to
    gunicorn, a header naming 127.0.0.1 helps only a peer that is allowed anyway."""
    networks = _networks()
    peer = request.META.get("REMOTE_ADDR", "")
    return _allowed_address(client_ip(request), networks) and _allowed_address(peer, networks)


def metrics_view(request) -> HttpResponse:
    """The scrape (OpsEndpointsMiddleware has checked `scrape_allowed`)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessMetrics())
    registry.register(DatabaseCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


class _ProcessMetrics:
    """This process's counters (single-process mode), from prometheus_client's default
    registry, together with its process and Python metrics."""

    def collect(self):
        return REGISTRY.collect()
