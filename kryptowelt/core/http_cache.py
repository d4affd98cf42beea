"""HTTP caching: Cache-Control on every response, whole-page caching in the application cache,
and invalidation (application cache + caching proxy) when content is published.

Three layers, outermost first (docs/runbook.md, "Caching"):

1. The caching proxy (nginx, or a CDN) keeps public responses for `s-maxage` seconds and is
   purged through Wagtail's front-end cache module on publish and unpublish.
2. `PageCacheMiddleware` keeps whole anonymous pages in the shared application cache (Redis in
   production) under a *generation* number; every publish starts a new generation, so nothing
   has to be found and deleted.
3. Fragment caches inside the pages (navigation, related articles, article bodies) use the
   same generation (`content_generation()`).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

logger = logging.getLogger(__name__)

PRIVATE = "private, no-store"
GENERATION_KEY = "kw:content-generation"
PAGE_KEY_PREFIX = "kw:page"
# Query parameters that select a different page of the same content; any other parameter
# makes the request uncacheable in the application cache (it may still be cached by nginx).
PAGE_CACHE_QUERY_PARAMS = {"seite"}
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
# Paginated listings purged besides their first page (publishing shifts every page by one).
PURGED_LISTING_PAGES = (2, 3)
# Background task priority of purges (django-tasks: -100…100, default 0, higher runs first).
PURGE_TASK_PRIORITY = 50


# --- Cache-Control -------------------------------------------------------------------------
def _is_admin(path: str) -> bool:
    return path.startswith(settings.KRYPTOWELT_ADMIN_PATH_PREFIX)


def _is_static(path: str) -> bool:
    return path.startswith(settings.STATIC_URL)


def _has_session(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def cache_control_for(request, response) -> str | None:
    """The Cache-Control value a response must carry, or None to keep what it has."""
    path = request.path_info
    if _is_static(path):
        return None  # WhiteNoise: a year for hashed names, briefly for the rest
    status = response.status_code
    if (
        request.method not in ("GET", "HEAD")
        or _is_admin(path)
        or _has_session(request)
        or response.cookies
        or status not in (200, 203, 301, 308, 404, 410)
    ):
        return PRIVATE
    existing = response.get("Cache-Control", "")
    if existing:
        # A view that decided (robots.txt, feeds with their own policy) keeps its choice,
        # unless it is private – then it must stay private.
        return None
    # Search results, and listing pages after the first: every publish shifts those by one,
    # and only a section's first pages are purged (PURGED_LISTING_PAGES).
    if path.startswith("/suche/") or request.GET.get("seite", "1") != "1":
        seconds = settings.KRYPTOWELT_CACHE_SEARCH_SECONDS
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


# --- Generation: one number that changes whenever published content changes ----------------
# The generation a reader's request started with, so the page and its fragments make one
# round trip to the shared cache for it instead of one each (set by PageCacheMiddleware).
_request_generation = threading.local()


def content_generation() -> int:
    generation = getattr(_request_generation, "value", None)
    if generation is not None:
        return generation
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _generation_start(), timeout=None)
        generation = cache.get(GENERATION_KEY) or _generation_start()
    return generation


def _generation_start() -> int:
    # Not 1: after the shared cache was emptied (a Redis restart), a process's own memory of
    # the old generation (core/routing.py) must not match the new one by chance.
    return time.time_ns() // 1000


def content_generation_bump() -> None:
    """Start a new generation: every cached page and fragment of the old one is ignored."""
    _request_generation.value = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, _generation_start(), timeout=None)


def content_changed() -> None:
    """Call after any change readers can see. Bumps now (this process sees it at once) and again
    after the commit, so a page rendered from the old data meanwhile is not kept."""
    content_generation_bump()
    transaction.on_commit(content_generation_bump)


class GenerationMemory:
    """Process-local copies of values that stay valid for a whole content generation
    (fragments, navigation, page routes and pages, the site's root paths), in front of the
    shared cache.

    An uncached page otherwise makes one round trip to Redis per fragment; on a busy machine
    each costs more than rendering the fragment's surroundings. Everything is dropped when
    the generation changes; entries also expire after their own time, as in the shared
    cache, and the memory holds at most `max_bytes` (of text, or what `set` is told an
    object takes)."""

    def __init__(self, *, max_bytes: int):
        self.max_bytes = max_bytes
        self.generation = None
        self.entries: dict[str, tuple[float, object, int]] = {}
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str, generation: int):
        with self.lock:
            if generation != self.generation:
                self._reset(generation)
                return None
            entry = self.entries.get(key)
            if entry is None:
                return None
            expires_at, value, _ = entry
            if expires_at < time.monotonic():
                self._drop(key)
                return None
            return value

    def set(self, key: str, generation: int, value, *, seconds: float, size: int | None = None):
        if size is None:
            size = len(value) if isinstance(value, str) else 1024
        with self.lock:
            if generation != self.generation:
                self._reset(generation)
            if size > self.max_bytes:
                return
            self._drop(key)
            while self.entries and self.size + size > self.max_bytes:
                self._drop(next(iter(self.entries)))  # the oldest entry
            self.entries[key] = (time.monotonic() + seconds, value, size)
            self.size += size

    def clear(self) -> None:
        with self.lock:
            self._reset(None)

    def _reset(self, generation) -> None:
        self.generation = generation
        self.entries.clear()
        self.size = 0

    def _drop(self, key: str) -> None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.size -= entry[2]


memory = GenerationMemory(max_bytes=settings.KRYPTOWELT_PROCESS_MEMORY_BYTES)


def remembered(key: str, compute, *, seconds: float):
    """`compute()`, kept in this process and in the shared cache for the current generation.
    Callers must not modify the value they get: it is shared by every later request."""
    generation = content_generation()
    value = memory.get(key, generation)
    if value is not None:
        return value
    shared_key = f"kw:memo:{generation}:{key}"
    value = cache.get(shared_key)
    if value is None:
        value = compute()
        cache.set(shared_key, value, seconds)
    memory.set(key, generation, value, seconds=seconds)
    return value


# --- Whole-page cache ------------------------------------------------------------------------
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


def _page_cache_key(request, generation: int) -> str | None:
    if request.method not in ("GET", "HEAD"):
        return None
    path = request.path_info
    if _is_admin(path) or _is_static(path) or _has_session(request):
        return None
    params = request.GET
    if any(name not in PAGE_CACHE_QUERY_PARAMS for name in params):
        return None
    query = "&".join(f"{name}={params[name]}" for name in sorted(params))
    return f"{PAGE_KEY_PREFIX}:{generation}:{request.get_host()}:{path}?{query}"


class PageCacheMiddleware:
    """Serves whole anonymous pages from the shared application cache.

    Only what `cache_control_for` calls public is stored (no cookies, no session, no admin),
    for `PAGE_CACHE_SECONDS`; responses say `X-App-Cache: HIT` or `MISS`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or _is_admin(request.path_info):
            return self._serve(request)
        _request_generation.value = content_generation()
        try:
            return self._serve(request)
        finally:
            _request_generation.value = None

    def _serve(self, request):
        seconds = settings.KRYPTOWELT_PAGE_CACHE_SECONDS
        key = _page_cache_key(request, content_generation()) if seconds else None
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-App-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and (cache_control_for(request, response) or "").startswith("public")
        ):
            headers = [(name, value) for name, value in response.items() if name != "Set-Cookie"]
            cache.set(key, (response.status_code, headers, response.content), seconds)
            response["X-App-Cache"] = "MISS"
        return response


# --- Purging the caching proxy ---------------------------------------------------------------
def page_purge_urls(*, page) -> set[str]:
    """Everything that shows `page` or lists it: the page's ancestors (home, sections, with
    their first listing pages), feeds, sitemaps, and for articles their tag and author pages."""
    from django.urls import NoReverseMatch, reverse

    from kryptowelt.core.models import SectionPage

    page = page.specific_deferred
    site = page.get_site()
    if site is None:
        return set()
    root = site.root_url.rstrip("/")
    urls: set[str] = set()
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        url = ancestor.get_full_url()
        if not url:
            continue
        urls.add(url)
        if isinstance(ancestor, SectionPage):
            urls.update(f"{url}?seite={number}" for number in PURGED_LISTING_PAGES)
            for name in ("news:section_feed_rss", "news:section_feed_atom"):
                urls.add(root + reverse(name, kwargs={"section_slug": ancestor.slug}))
    paths = ["news:feed_rss", "news:feed_atom", "sitemap", "news:news_sitemap"]
    for name in paths:
        try:
            urls.add(root + reverse(name))
        except NoReverseMatch:  # pragma: no cover - a project without that URL
            logger.warning("Keine Adresse für %s", name)
    tags = getattr(page, "tags", None)
    if tags is not None:
        for tag in tags.all():
            urls.add(root + reverse("news:tag", kwargs={"slug": tag.slug}))
            urls.add(root + reverse("news:tag_feed_rss", kwargs={"tag_slug": tag.slug}))
            urls.add(root + reverse("news:tag_feed_atom", kwargs={"tag_slug": tag.slug}))
    for author in getattr(page, "authors", None) or ():
        urls.add(root + author.get_absolute_url())
    return urls


def page_purge(*, page) -> None:
    """Purge `page` and everything that lists it from the caching proxy.

    Goes through Wagtail's purge task, i.e. the background worker in production, but ahead
    of everything else waiting there (search index, reference index, related lists): after
    an import or a burst of edits the worker may have a long queue, and readers must not
    see the old home page until it is through. Wagtail's own handler purges the page again
    at normal priority; purging twice costs nothing."""
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    urls = page_purge_urls(page=page)
    page_url = page.get_full_url()
    if page_url:
        urls.update(
            page_url + path.lstrip("/") for path in page.specific_deferred.get_cached_paths()
        )
    if urls:
        purge_urls_from_cache_task.using(priority=PURGE_TASK_PRIORITY).enqueue(sorted(urls))


class NginxPurgeBackend(BaseBackend):
    """Wagtail front-end cache backend for nginx's cache-purge module.

    Like Wagtail's HTTPBackend (a PURGE request to the proxy per URL, here to LOCATION's path
    followed by the URL's path, e.g. /__purge/neuigkeiten/), but it purges each URL
    under every host name readers use (`HOSTS`: www and bare domain, 127.0.0.1 and localhost),
    since nginx keys its cache by host, and treats "not in the cache" (404/412) as success
    rather than logging it as an error."""

    def __init__(self, params):
        from urllib.parse import urlsplit

        params = dict(params)
        location = urlsplit(params.pop("LOCATION"))
        self.cache_scheme, self.cache_netloc = location.scheme, location.netloc
        self.path_prefix = location.path.rstrip("/")
        self.hosts = [host for host in params.pop("HOSTS", []) if host and "*" not in host]
        self.timeout = params.pop("TIMEOUT", 5)
        super().__init__(params)

    def purge(self, url) -> None:
        from urllib.error import HTTPError, URLError
        from urllib.parse import urlsplit, urlunsplit
        from urllib.request import Request, urlopen

        parts = urlsplit(url)
        path = self.path_prefix + (parts.path or "/")
        target = urlunsplit((self.cache_scheme, self.cache_netloc, path, parts.query, ""))
        for host in self.hosts or [parts.netloc]:
            request = Request(target, method="PURGE", headers={"Host": host})  # noqa: S310
            try:
                urlopen(request, timeout=self.timeout).close()  # noqa: S310 - configured URL
            except HTTPError as error:
                if error.code not in (404, 412):
                    logger.error("Purge von %s (%s) fehlgeschlagen: %s", url, host, error)
            except (URLError, OSError) as error:
                logger.error("Purge von %s (%s) fehlgeschlagen: %s", url, host, error)
