"""What every API answer goes through, around Django Ninja's views: reads only (GET, HEAD and
OPTIONS; anything else is a 405 problem), CORS for those methods, a rate limit per client
address (429 with Retry-After; open when the cache is down), answers kept in the shared cache
until a scope they read changes, and `ETag`/`Cache-Control` so the caching proxy and browsers
keep them (conditional requests get 304).

How long a shared cache may keep an answer: an address that a publish purges (purging.py),
asked without a query and showing only published content, is kept `CACHE_SHARED_SECONDS`;
everything else (queries, prices, "Meistgelesen", related lists, providers) is not purged
and is kept briefly (`CACHE_SEARCH_SECONDS`, prices `CACHE_MARKETS_SECONDS`). The
calculators' answers are the reader's own figures: like the calculator pages they are kept
by no cache (`private, no-store`, not in the shared cache either)."""

from __future__ import annotations

import functools
import hashlib
import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django_ratelimit.core import get_usage

from kryptowelt.api.links import API_PREFIX
from kryptowelt.api.problems import problem
from kryptowelt.api.purging import is_purged
from kryptowelt.caching.scopes import Scope, collecting, depends_on, generations, is_current, stamp
from kryptowelt.core.security import client_ip

logger = logging.getLogger("kryptowelt.api")

READ_METHODS = ("GET", "HEAD", "OPTIONS")
ALLOW = ", ".join(READ_METHODS)
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Retry-After, Content-Disposition",
}
PREFLIGHT_MAX_AGE = 86_400
# Answers that may stay in shared caches until the next publish purges them.
PURGED_SCOPES = {Scope.CONTENT, Scope.GLOSSARY}
CACHE_PREFIX = "kw:api:"
CACHE_MAX_BYTES = 512 * 1024
CACHE_MAX_KEY = 1000
RATE_GROUP = "kryptowelt:api"
# Addresses below /api/v1/ whose answers no cache keeps (the reader's own input and results).
PRIVATE_PATHS = ("calculators/",)
PRIVATE = "private, no-store"


def _rate_limited(request) -> int | None:
    """Seconds until the client may ask again, or None. Without a working cache every
    request passes: the API must not go down with the cache."""
    rate = settings.KRYPTOWELT_API_RATE
    if not rate:
        return None
    try:
        usage = get_usage(
            request,
            group=RATE_GROUP,
            key=lambda group, req: client_ip(req),
            rate=rate,
            method=get_usage.ALL,
            increment=True,
        )
    except Exception:  # the cache is down: fail open
        logger.warning("Rate-Limit der API ohne Cache nicht prüfbar – Anfrage zugelassen")
        return None
    if usage is None or usage["limit"] == 0:  # no rate, or the counter could not be read
        return None
    if usage["should_limit"]:
        return max(1, int(usage["time_left"]))
    return None


def etag_for(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    candidates = {part.strip().removeprefix("W/") for part in if_none_match.split(",")}
    return etag in candidates


def _private(request) -> bool:
    return request.path.removeprefix(API_PREFIX).startswith(PRIVATE_PATHS)


def cache_control(request, status: int, scopes: set[Scope]) -> str:
    if status not in (200, 404) or _private(request):
        return PRIVATE
    path = request.path.removeprefix(API_PREFIX)
    if (
        status == 200
        and not request.META.get("QUERY_STRING")
        and scopes <= PURGED_SCOPES
        and is_purged(path)
    ):
        return (
            f"public, max-age={settings.KRYPTOWELT_CACHE_BROWSER_SECONDS}, "
            f"s-maxage={settings.KRYPTOWELT_CACHE_SHARED_SECONDS}"
        )
    seconds = settings.KRYPTOWELT_CACHE_SEARCH_SECONDS
    if scopes & {Scope.MARKETS}:
        seconds = min(seconds, settings.KRYPTOWELT_CACHE_MARKETS_SECONDS)
    return f"public, max-age={seconds}, s-maxage={seconds}"


def _cache_key(request) -> str | None:
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    key = f"{CACHE_PREFIX}{request.path}?{query}"
    return key if len(key) <= CACHE_MAX_KEY else None


def _stored_response(entry) -> HttpResponse:
    _stamp, status, content_type, content, extra = entry
    response = HttpResponse(content, status=status, content_type=content_type)
    for name, value in extra:
        response[name] = value
    return response


def _answer(view, request, args, kwargs) -> tuple[HttpResponse, set[Scope], bool]:
    """The view's answer, from the shared cache while what it read is current."""
    seconds = settings.KRYPTOWELT_API_CACHE_SECONDS
    key = _cache_key(request) if seconds and not _private(request) else None
    if key is not None:
        try:
            entry = cache.get(key)
        except Exception:
            entry = None
        if entry is not None and is_current(entry[0]):
            scopes = {Scope(name) for name, _ in entry[0]}
            depends_on(*scopes)
            return _stored_response(entry), scopes, True
    current = generations()
    with collecting() as read:
        response = view(request, *args, **kwargs)
    if (
        key is not None
        and response.status_code == 200
        and not response.streaming
        and len(response.content) <= CACHE_MAX_BYTES
    ):
        extra = [(name, response[name]) for name in ("Content-Disposition",) if name in response]
        entry = (stamp(read, current), 200, response["Content-Type"], response.content, extra)
        try:
            cache.set(key, entry, seconds)
        except Exception:
            logger.warning("API-Antwort nicht im Cache gespeichert (Cache nicht erreichbar)")
    return response, set(read), False


def _finish(request, response: HttpResponse, scopes: set[Scope]) -> HttpResponse:
    for name, value in CORS_HEADERS.items():
        response[name] = value
    if response.status_code in (200, 404) and not response.streaming:
        response["Cache-Control"] = cache_control(request, response.status_code, scopes)
        if response.status_code == 200:
            etag = etag_for(response.content)
            response["ETag"] = etag
            if _matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
                not_modified = HttpResponse(status=304)
                for name in ("ETag", "Cache-Control", *CORS_HEADERS):
                    not_modified[name] = response[name]
                return not_modified
    elif response.status_code >= 400:
        response["Cache-Control"] = PRIVATE
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def preflight(request) -> HttpResponse:
    """CORS preflight: GET and HEAD from any origin, with the headers a reader needs."""
    response = HttpResponse(status=204)
    response["Allow"] = ALLOW
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD"
    response["Access-Control-Allow-Headers"] = "Accept, If-None-Match, Cache-Control"
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    response["Cache-Control"] = f"public, max-age={PREFLIGHT_MAX_AGE}"
    return response


def read_only(view):
    """Wraps one of the API's views (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        # A session cookie never makes an API request an editor's: drafts, previews and
        # private pages stay out of every answer.
        request.user = AnonymousUser()
        if request.method == "OPTIONS":
            return preflight(request)
        if request.method not in ("GET", "HEAD"):
            return problem(
                405,
                "Die API ist nur lesbar: erlaubt sind GET, HEAD und OPTIONS.",
                headers={"Allow": ALLOW, **CORS_HEADERS},
            )
        wait = _rate_limited(request)
        if wait is not None:
            response = problem(
                429,
                f"Zu viele Anfragen von Ihrer Adresse. Bitte in {wait} Sekunden erneut versuchen.",
                headers={"Retry-After": str(wait), **CORS_HEADERS},
            )
            response["Cache-Control"] = PRIVATE
            return response
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response, scopes, _hit = _answer(view, request, args, kwargs)
        response = _finish(request, response, scopes)
        if head:
            request.method = "HEAD"
            response.content = b""
        return response

    wrapper.csrf_exempt = True  # nothing here writes; non-read methods are refused above
    return wrapper


def not_found(request, *args, **kwargs):
    """Any other address below /api/v1/: a problem document, or the address with the slash
    it lacks (as Django's APPEND_SLASH would do for pages)."""
    if request.method in ("GET", "HEAD") and not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found_view:
            target = request.path + "/"
            if request.META.get("QUERY_STRING"):
                target += "?" + request.META["QUERY_STRING"]
            response = HttpResponse(status=301)
            response["Location"] = target
            return _finish(request, response, set())
    response = problem(404, "Diese Adresse gibt es in der API nicht (siehe /api/v1/docs/).")
    if request.method == "OPTIONS":
        return preflight(request)
    return _finish(request, response, set())


not_found_view = read_only(not_found)
