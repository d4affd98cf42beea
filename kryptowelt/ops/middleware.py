"""The ops endpoints and the request metrics, outermost in MIDDLEWARE (settings/operations.py):

    RequestIdMiddleware (logs.py) → MetricsMiddleware → OpsEndpointsMiddleware → the rest

`/healthz`, `/readyz` and `/metrics` are answered before any other middleware runs: no
page cache, no session, no rate limit counter in Redis, no Wagtail page lookup. So they never
come from a cache and answer quickly while Redis or the database is away."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpResponse, HttpResponseNotAllowed

from kryptowelt.ops import health, metrics

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
OPS_PATHS = frozenset({HEALTH_PATH, READY_PATH, METRICS_PATH})
NO_STORE = "no-store"


def _json(data: dict, *, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data), content_type="application/json; charset=utf-8", status=status
    )
    return response


def healthz(request) -> HttpResponse:
    return _json({"status": "ok"})


def readyz(request) -> HttpResponse:
    checks = health.readiness()
    ok = health.ready(checks)
    body = {
        "status": "ok" if ok else "fail",
        "checks": {check.name: check.as_dict() for check in checks},
    }
    return _json(body, status=200 if ok else 503)


VIEWS = {HEALTH_PATH: healthz, READY_PATH: readyz, METRICS_PATH: metrics.metrics_view}


class OpsEndpointsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path not in OPS_PATHS:
            return self.get_response(request)
        request.kw_metrics_kind = "ops"
        if path == METRICS_PATH and not metrics.scrape_allowed(request):
            # As for any address that has nothing: the site's own (German) 404 page.
            response = response_for_exception(request, Http404())
        elif request.method not in ("GET", "HEAD"):
            response = HttpResponseNotAllowed(["GET", "HEAD"])
        else:
            response = VIEWS[path](request)
        # A red /readyz is logged by the checks themselves (WARNING, with the reason);
        # Django would log every 503 as an error and mail ADMINS for each poll.
        response._has_been_logged = True
        response["Cache-Control"] = NO_STORE
        response["X-Content-Type-Options"] = "nosniff"
        return response


def view_kind(request, response) -> str:
    """What answered, as a label with few values (never the raw path)."""
    if response.get("X-App-Cache") == "HIT":
        return "page_cache"
    marked = getattr(request, "kw_metrics_kind", None)
    if marked:
        return marked
    path = request.path_info
    if path.startswith(settings.KRYPTOWELT_ADMIN_PATH_PREFIX):
        return "admin"
    if path.startswith(settings.STATIC_URL):
        return "static"
    if path.startswith(settings.MEDIA_URL):
        return "media"
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unresolved"
    if match.url_name == "wagtail_serve":
        return "page"
    return f"view:{match.view_name or 'unnamed'}"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.observe(
            kind=view_kind(request, response),
            method=request.method,
            status=response.status_code,
            seconds=time.perf_counter() - started,
            page_cache=response.get("X-App-Cache", ""),
        )
        return response
