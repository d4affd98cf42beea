"""Remembers which Wagtail page a URL leads to, so that rendering a page the application
cache does not hold skips Wagtail's route walk.

Wagtail finds a page by looking up the request's Site and then walking the tree from the
site root, one query (plus one for the specific page) per URL segment: six to eight queries
and about half the server time of an article that is rendered from warm fragment caches.
The answer only changes when published content changes, which starts a new content
generation (core/http_cache.py), so it can be kept in each process per generation: the next
request for the URL costs one query for the page itself.

Only plain page routes are remembered (a routable page's sub-route is walked as before),
Wagtail's checks after routing (privacy restrictions, `before_serve_page` hooks) still run
on every request, and a remembered page that is gone or no longer live is looked up again.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from kryptowelt.core.http_cache import _is_admin, _is_static, content_generation, memory

# Distinct URLs remembered per process: the site's pages and their listings, not more.
MAX_ROUTES = 5000
ROOT_PATHS_KEY = "wagtail-site-root-paths"
ROOT_PATHS_SECONDS = 600


class _RouteMemory:
    def __init__(self):
        self.generation = None
        self.routes: OrderedDict[tuple, tuple[Site, int, int]] = OrderedDict()
        self.lock = Lock()

    def get(self, generation, key):
        with self.lock:
            if generation != self.generation:
                self.generation = generation
                self.routes.clear()
                return None
            route = self.routes.get(key)
            if route is not None:
                self.routes.move_to_end(key)
            return route

    def put(self, generation, key, route) -> None:
        with self.lock:
            if generation != self.generation:
                return
            self.routes[key] = route
            while len(self.routes) > MAX_ROUTES:
                self.routes.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.generation = None
            self.routes.clear()


routes = _RouteMemory()


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
        key = (request._get_raw_host(), request.get_port(), path)
        remembered = routes.get(generation, key)
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
                routes.put(generation, key, route)
        if root_paths is None and hasattr(request, "_wagtail_cached_site_root_paths"):
            memory.set(
                ROOT_PATHS_KEY,
                generation,
                request._wagtail_cached_site_root_paths,
                seconds=ROOT_PATHS_SECONDS,
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
        return (site, page.pk, page.content_type_id)

    @staticmethod
    def _restore(request, remembered) -> None:
        # The Site is kept as an object: saving or deleting one starts a new generation
        # (core/signals.py), and Wagtail only reads it while serving.
        site, page_id, content_type_id = remembered
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model.objects.live().filter(pk=page_id).first() if model else None
        if page is None:
            return  # Wagtail routes as usual
        request._wagtail_site = site
        request._wagtail_route_for_request = RouteResult(page)


_restrictions = {"generation": None, "exist": True}


def view_restrictions_exist() -> bool:
    """Whether any page of any site is private. Wagtail checks a page's restrictions on every
    view (two queries); while there are none, per content generation, that costs nothing.
    Saving or deleting a restriction starts a new generation (core/signals.py)."""
    generation = content_generation()
    if _restrictions["generation"] != generation:
        _restrictions["exist"] = PageViewRestriction.objects.exists()
        _restrictions["generation"] = generation
    return _restrictions["exist"]


def forget() -> None:
    """Drop everything this process remembers (tests start from an empty database)."""
    routes.clear()
    memory.clear()
    _restrictions["generation"] = None
