"""Whole anonymous pages in the shared application cache.

An entry is stored under a key made of host, path and the allowed query, together with the
stamp of the scopes the page read while it was rendered (scopes.py). It is served while
that stamp is current: a market sync renews the pages that show prices, a publish renews
every page. The entry and the scope generations come in one round trip to the shared cache.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.http.request import split_domain_port

from kryptowelt.caching.editors import is_editor
from kryptowelt.caching.http import cache_control_for, is_admin, is_static
from kryptowelt.caching.scopes import (
    Scope,
    is_current,
    request_finished,
    request_started,
    stamp,
)

PAGE_KEY_PREFIX = "kw:page"
# Query parameters that select a different page of the same content; any other parameter
# makes the request uncacheable in the application cache (it may still be cached by nginx).
PAGE_CACHE_QUERY_PARAMS = {"seite"}


def page_cache_key(request) -> str | None:
    if not settings.KRYPTOWELT_PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return None
    path = request.path_info
    if is_admin(path) or is_static(path) or is_editor(request):
        return None
    params = request.GET
    if any(name not in PAGE_CACHE_QUERY_PARAMS for name in params):
        return None
    query = "&".join(f"{name}={params[name]}" for name in sorted(params))
    # The host name (validated against ALLOWED_HOSTS) without the port: pages hold no
    # absolute URL from the request (core/site_urls.py), so a port the client chose must not
    # make another copy either.
    return f"{PAGE_KEY_PREFIX}:{request_hostname(request)}:{path}?{query}"


def request_hostname(request) -> str:
    return split_domain_port(request.get_host())[0]


class PageCacheMiddleware:
    """Serves whole anonymous pages from the shared application cache, and gives every
    reader's request its snapshot of the scope generations (which all caches below use).

    Verified editors (caching/editors.py) skip it; anyone else, whatever cookies they send,
    gets the cached page. Only what `cache_control_for` calls public is stored (no cookies set,
    no session looked into, no admin);
    responses say `X-App-Cache: HIT` or `MISS`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or is_admin(request.path_info):
            return self.get_response(request)
        key = page_cache_key(request)
        generations, found = request_started(*([key] if key else []))
        stored = found.get(key) if key else None
        try:
            if stored is not None and is_current(stored[0], generations):
                return self._hit(request, stored)
            response = self.get_response(request)
        finally:
            read = request_finished()
        request.kw_cache_scopes = read
        if (
            key is not None
            and request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and (cache_control_for(request, response) or "").startswith("public")
        ):
            headers = [(name, value) for name, value in response.items() if name != "Set-Cookie"]
            entry_stamp = stamp(request.kw_cache_scopes, generations)
            cache.set(
                key,
                (entry_stamp, response.status_code, headers, response.content),
                settings.KRYPTOWELT_PAGE_CACHE_SECONDS,
            )
            response["X-App-Cache"] = "MISS"
        return response

    @staticmethod
    def _hit(request, stored) -> HttpResponse:
        entry_stamp, status, headers, content = stored
        request.kw_cache_scopes = {Scope(name) for name, _ in entry_stamp}
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-App-Cache"] = "HIT"
        return response
