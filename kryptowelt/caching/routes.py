"""Remembers which Wagtail page a URL leads to, so that rendering a page the application
cache does not hold skips Wagtail's route walk.

Wagtail finds a page by looking up the request's Site and then walking the tree from the
site root, one query (plus one for the specific page) per URL segment: six to eight queries
and about half the server time of an article that is rendered from warm fragment caches.
The answer only changes when published content changes (the content scope, scopes.py), so
it is kept in each process until then.

The page itself is kept too, as it was loaded. Publishing, unpublishing, moving or deleting
a page (Wagtail unpublishes a live page before deleting it), and saving a snippet or setting
that pages show, all change the content scope. Loading the page was the last query of an
uncached article view, and compiling it (a join over the page's model tables) took about a
quarter of the worker's time. Each request gets its own shallow copy, so what a request sets
on its page stays with it.

Views that are no page but link to pages (search, feeds) get the request's Site the same
way, kept per host until content changes.

Routable pages (one page serving many URLs, e.g. /kurse/<coin>/) are remembered with their
sub-route once it answered 200, so an unknown coin is walked (and answered 404) each time
instead of filling the memory. Wagtail's checks after routing (privacy restrictions,
`before_serve_page` hooks) still run on every request.

This module sets three of Wagtail's private request attributes; caching/tests/test_routes.py
pins what Wagtail does with them, so an upgrade that changes them fails a test.
"""

from __future__ import annotations

import copy

from wagtail.fields import StreamValue
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from kryptowelt.caching.http import is_admin, is_static
from kryptowelt.caching.memory import memory
from kryptowelt.caching.scopes import Scope, stamp

# How long an entry may be kept while the content scope stays the same.
REMEMBER_SECONDS = 600
ROOT_PATHS_KEY = "wagtail-site-root-paths"
RESTRICTIONS_KEY = "view-restrictions-exist"
# Wagtail's private request attributes (pinned by caching/tests/test_routes.py).
ROUTE_ATTRIBUTE = "_wagtail_route_for_request"
SITE_ATTRIBUTE = "_wagtail_site"
ROOT_PATHS_ATTRIBUTE = "_wagtail_cached_site_root_paths"


def _content_stamp():
    return stamp((Scope.CONTENT,))


class RouteCacheMiddleware:
    """Before a GET or HEAD request reaches Wagtail's page view, hand it the page the same
    URL led to earlier while content stayed the same; afterwards remember a new route."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.method not in ("GET", "HEAD") or is_admin(path) or is_static(path):
            return self.get_response(request)
        host = f"{request._get_raw_host()}:{request.get_port()}"
        key = f"route:{host}:{path}"
        remembered = memory.get(key)
        if remembered is not None:
            self._restore(request, remembered[1])
        # The request's Site, for views that are no page (search, feeds) but link to pages:
        # Wagtail looks it up with a query on each request otherwise.
        site_key = f"site:{host}"
        site = memory.get(site_key) if remembered is None else None
        if site is not None:
            setattr(request, SITE_ATTRIBUTE, site[1])
        # Wagtail's list of site root paths, which every page URL needs (a shared-cache read).
        root_paths = memory.get(ROOT_PATHS_KEY)
        if root_paths is not None:
            setattr(request, ROOT_PATHS_ATTRIBUTE, root_paths[1])
        response = self.get_response(request)
        if remembered is None and response.status_code == 200:
            route = self._route_to_remember(request)
            if route is not None:
                memory.set(
                    key, _content_stamp(), route, seconds=REMEMBER_SECONDS, size=_size_of(route[1])
                )
        if remembered is None and site is None and getattr(request, SITE_ATTRIBUTE, None):
            memory.set(
                site_key,
                _content_stamp(),
                getattr(request, SITE_ATTRIBUTE),
                seconds=REMEMBER_SECONDS,
            )
        if root_paths is None and hasattr(request, ROOT_PATHS_ATTRIBUTE):
            memory.set(
                ROOT_PATHS_KEY,
                _content_stamp(),
                getattr(request, ROOT_PATHS_ATTRIBUTE),
                seconds=REMEMBER_SECONDS,
            )
        return response

    @staticmethod
    def _route_to_remember(request):
        site = getattr(request, SITE_ATTRIBUTE, None)
        result = getattr(request, ROUTE_ATTRIBUTE, None)
        if site is None or not isinstance(result, RouteResult):
            return None
        page, args, kwargs = result
        if kwargs or not isinstance(page, Page) or not page.live:
            return None
        if args and not _is_subpage_route(page, args):
            return None
        # The response is rendered: nothing changes the page any more.
        return (site, page, args, getattr(request, "routable_resolver_match", None))

    @staticmethod
    def _restore(request, remembered) -> None:
        # The Site is kept as an object too: saving or deleting one changes the content
        # scope (caching/signals.py), and Wagtail only reads it while serving.
        site, page, args, resolver_match = remembered
        page = copy.copy(page)
        if args:
            view, view_args, view_kwargs = args
            args = (view.__func__.__get__(page, type(page)), view_args, view_kwargs)
            request.routable_resolver_match = resolver_match
        setattr(request, SITE_ATTRIBUTE, site)
        setattr(request, ROUTE_ATTRIBUTE, RouteResult(page, args=args or None))


def _is_subpage_route(page, args) -> bool:
    """A routable page's sub-route: (bound view of that page, args, kwargs)."""
    if len(args) != 3:
        return False
    view = args[0]
    return getattr(view, "__self__", None) is page and hasattr(view, "__func__")


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
    view (two queries); while there are none, and content stays the same, that costs nothing.
    Saving or deleting a restriction changes the content scope (caching/signals.py)."""
    found = memory.get(RESTRICTIONS_KEY)
    if found is not None:
        return found[1]
    exist = PageViewRestriction.objects.exists()
    memory.set(RESTRICTIONS_KEY, _content_stamp(), exist, seconds=REMEMBER_SECONDS)
    return exist


def forget() -> None:
    """Drop everything this process remembers (tests start from an empty database)."""
    memory.clear()
