"""Remembers which Wagtail page a URL leads to, so that rendering a page the application
cache does not hold skips Wagtail's route walk.

Wagtail finds a page by looking up the request's Site and then walking the tree from the
site root, one query (plus one for the specific page) per URL segment: six to eight queries
and about half the server time of an article that is rendered from warm fragment caches.
The answer only changes when published content changes, which starts a new content
generation (core/http_cache.py), so it can be kept in each process per generation.

The page itself is kept too, as it was loaded. Publishing, unpublishing, moving or deleting
a page (Wagtail unpublishes a live page before deleting it), and saving a snippet or setting
that pages show, all start a new generation: the promise the page and fragment caches rely
on already. Loading the page was the last query of an uncached article view, and compiling
it (a join over the page's model tables) took about a quarter of the worker's time. Each
request gets its own shallow copy, so what a request sets on its page stays with it.

Only plain page routes are remembered (a routable page's sub-route is walked as before),
Wagtail's checks after routing (privacy restrictions, `before_serve_page` hooks) still run
on every request.
"""

from __future__ import annotations

import copy

from wagtail.fields import StreamValue
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from kryptowelt.core.http_cache import _is_admin, _is_static, content_generation, memory

# How long an entry may be kept within one generation, as the shared cache's fragments.
REMEMBER_SECONDS = 600
ROOT_PATHS_KEY = "wagtail-site-root-paths"
RESTRICTIONS_KEY = "view-restrictions-exist"


class RouteCacheMiddleware:
    """Before a GET or HEAD request reaches Wagtail's page view, hand it the page the same
    URL led to earlier in this content generation; afterwards remember a new route."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.method not in ("GET", "HEAD") or _is_admin(path) or _is_static(path):
            return self.get_response(request)
        generation = content_generation()
        key = f"route:{request._get_raw_host()}:{request.get_port()}:{path}"
        remembered = memory.get(key, generation)
        if remembered is not None:
            self._restore(request, remembered)
        # Wagtail's list of site root paths, which every page URL needs (a shared-cache read).
        root_paths = memory.get(ROOT_PATHS_KEY, generation)
        if root_paths is not None:
            request._wagtail_cached_site_root_paths = root_paths
        response = self.get_response(request)
        if remembered is None:
            route = self._route_to_remember(request)
            if route is not None:
                memory.set(
                    key, generation, route, seconds=REMEMBER_SECONDS, size=_size_of(route[1])
                )
        if root_paths is None and hasattr(request, "_wagtail_cached_site_root_paths"):
            memory.set(
                ROOT_PATHS_KEY,
                generation,
                request._wagtail_cached_site_root_paths,
                seconds=REMEMBER_SECONDS,
            )
        return response

    @staticmethod
    def _route_to_remember(request):
        site = getattr(request, "_wagtail_site", None)
        result = getattr(request, "_wagtail_route_for_request", None)
        if site is None or not isinstance(result, RouteResult):
            return None
        page, args, kwargs = result
        if args or kwargs or not isinstance(page, Page) or not page.live:
            return None
        return (site, page)  # the response is rendered: nothing changes it any more

    @staticmethod
    def _restore(request, remembered) -> None:
        # The Site is kept as an object too: saving or deleting one starts a new generation
        # (core/signals.py), and Wagtail only reads it while serving.
        site, page = remembered
        request._wagtail_site = site
        request._wagtail_route_for_request = RouteResult(copy.copy(page))


def _size_of(page) -> int:
    """Roughly what a remembered page takes: its text fields and StreamField data (with the
    blocks built from it once rendered), so that the memory's bound holds for long pages."""
    size = 2048
    for value in vars(page).values():
        if isinstance(value, str):
            size += len(value)
        elif isinstance(value, StreamValue):
            size += 4 * len(str(value.raw_data))
    return size


def view_restrictions_exist() -> bool:
    """Whether any page of any site is private. Wagtail checks a page's restrictions on every
    view (two queries); while there are none, per content generation, that costs nothing.
    Saving or deleting a restriction starts a new generation (core/signals.py)."""
    generation = content_generation()
    exist = memory.get(RESTRICTIONS_KEY, generation)
    if exist is None:
        exist = PageViewRestriction.objects.exists()
        memory.set(RESTRICTIONS_KEY, generation, exist, seconds=REMEMBER_SECONDS)
    return exist


def forget() -> None:
    """Drop everything this process remembers (tests start from an empty database)."""
    memory.clear()
