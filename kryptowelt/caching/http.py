"""Cache-Control on every response, and query parameters that never make a page different."""

from __future__ import annotations

from django.conf import settings

from kryptowelt.caching.editors import is_editor
from kryptowelt.caching.scopes import Scope

PRIVATE = "private, no-store"
# Campaign and click-tracking parameters that links from newsletters and social networks
# carry (besides every `utm_…`). No view uses them, and they are removed before any view or
# cache sees the request (TrackingParametersMiddleware); deploy/nginx.conf leaves them out of
# its cache key the same way.
TRACKING_QUERY_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "ttclid",
        "igshid", "yclid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok",
    }
)  # fmt: skip


def is_admin(path: str) -> bool:
    return path.startswith(settings.KRYPTOWELT_ADMIN_PATH_PREFIX)


def is_static(path: str) -> bool:
    return path.startswith(settings.STATIC_URL)


def depends_on_session(request) -> bool:
    """Whether the response was made for the sender's own session: one came with the request
    and something looked into it (a private page's password, a logged-in check). A session
    cookie alone, forged or not, changes nothing (caching/editors.py)."""
    session = getattr(request, "session", None)
    return (
        session is not None and session.accessed and settings.SESSION_COOKIE_NAME in request.COOKIES
    )


def cache_control_for(request, response) -> str | None:
    """The Cache-Control value a response must carry, or None to keep what it has."""
    path = request.path_info
    if is_static(path):
        return None  # WhiteNoise: a year for hashed names, briefly for the rest
    status = response.status_code
    if (
        request.method not in ("GET", "HEAD")
        or is_admin(path)
        or is_editor(request)
        or depends_on_session(request)
        or response.cookies
        or status not in (200, 203, 301, 308, 404, 410)
    ):
        return PRIVATE
    if response.get("Cache-Control", ""):
        # A view that decided (robots.txt, feeds with their own policy) keeps its choice,
        # unless it is private – then it must stay private.
        return None
    # Search results and listing pages after the first: every publish shifts those by one,
    # and only a section's first pages are purged (purge.PURGED_LISTING_PAGES). Pages that
    # show prices: the next market sync is never far.
    scopes = getattr(request, "kw_cache_scopes", ())
    if path.startswith("/suche/") or request.GET.get("seite", "1") != "1":
        seconds = settings.KRYPTOWELT_CACHE_SEARCH_SECONDS
        return f"public, max-age={seconds}, s-maxage={seconds}"
    if Scope.MARKETS in scopes:
        seconds = settings.KRYPTOWELT_CACHE_MARKETS_SECONDS
        return f"public, max-age={seconds}, s-maxage={seconds}"
    return (
        f"public, max-age={settings.KRYPTOWELT_CACHE_BROWSER_SECONDS}, "
        f"s-maxage={settings.KRYPTOWELT_CACHE_SHARED_SECONDS}"
    )


class CacheControlMiddleware:
    """Gives every response an explicit Cache-Control: public pages cacheable by shared caches,
    the admin, previews, forms, POST answers and anything that sets a cookie never."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        value = cache_control_for(request, response)
        if value is not None:
            response["Cache-Control"] = value
            if value == PRIVATE:
                response.headers.pop("Expires", None)
        elif "Cache-Control" not in response:
            response["Cache-Control"] = PRIVATE
        return response


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_QUERY_PARAMS


class TrackingParametersMiddleware:
    """Removes tracking parameters (utm_source, fbclid, …) from the request's query.

    A reader who follows a shared link gets the same page as everyone else: the same
    calculator defaults and filters (a form would otherwise see a query it does not know and
    answer with errors), the same entry in the page cache, and nothing that a purge misses.
    Facebook and others make the parameter unique per click, so without this every reader
    of a wave that comes from there would be a full render."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING") and any(
            is_tracking_parameter(name) for name in request.GET
        ):
            params = request.GET.copy()
            for name in [name for name in params if is_tracking_parameter(name)]:
                del params[name]
            params._mutable = False
            request.GET = params
            request.META["QUERY_STRING"] = params.urlencode()
        return self.get_response(request)
