"""What pages show: each app's views module registers it here at start-up.

Wagtail puts a page's context (`get_context`) and a routable page's views on the model
class. In our apps the models sit below the selectors, which query them, so a model that
called its app's selectors would close an import circle. Instead the model declares its
fields and its URLs (`RoutedPage.subpage_routes`), and the app's `views.py`, imported by its
AppConfig.ready(), registers what the page adds to its template context
(`@page_context(Model)`) and how each of its URLs answers (`@route_view(Model, "name")`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

ContextProvider = Callable[..., dict]
RouteView = Callable[..., object]

_context_providers: dict[type, list[ContextProvider]] = {}
_route_views: dict[tuple[type, str], RouteView] = {}


def page_context(model: type):
    """Decorator: `function(page, request) -> dict` adds to the context of `model` pages
    (and of its subclasses)."""

    def register(function: ContextProvider) -> ContextProvider:
        providers = _context_providers.setdefault(model, [])
        if function not in providers:
            providers.append(function)
        return function

    return register


def route_view(model: type, name: str):
    """Decorator: `function(request, page, **url_kwargs) -> HttpResponse` answers the URL
    named `name` of the routable page type `model`."""

    def register(function: RouteView) -> RouteView:
        _route_views[(model, name)] = function
        return function

    return register


def context_for(page, request, *args, **kwargs) -> dict:
    context: dict = {}
    for klass in reversed(type(page).__mro__):
        for provider in _context_providers.get(klass, ()):
            context.update(provider(page, request, *args, **kwargs) or {})
    return context


def view_for(page, name: str) -> RouteView:
    for klass in type(page).__mro__:
        view = _route_views.get((klass, name))
        if view is not None:
            return view
    raise ImproperlyConfigured(
        f"Keine Ansicht für „{name}“ von {type(page).__name__} registriert "
        "(kryptowelt.core.page_views.route_view)."
    )
