from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from kryptowelt.core import page_views
from kryptowelt.core.site_urls import site_root


@csrf_exempt
def serve_page(request, path):
    """Wagtail's page view, with CSRF protection decided per route.

    A route view of a routable page may handle CSRF itself (it is marked with Django's
    `csrf_exempt`), because it must choose how the request body is read before anything
    reads it: the tax calculator keeps uploads in memory and never on disk
    (calculators/uploads.py). Every other page is served behind `csrf_protect`, exactly as
    Django's CsrfViewMiddleware would."""
    if _route_handles_csrf(request, path):
        return wagtail_views.serve(request, path)
    return _protected_serve(request, path)


_protected_serve = csrf_protect(wagtail_views.serve)


def _route_handles_csrf(request, path) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return False
    result = Page.route_for_request(request, path)
    match = getattr(request, "routable_resolver_match", None)
    if not isinstance(result, RouteResult) or match is None or not result.args:
        return False
    view = page_views.view_for(result.page, match.url_name)
    return getattr(view, "csrf_exempt", False)


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    base = site_root()  # never the request's Host: robots.txt is cached for everyone
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /suche/",
        "",
        f"Sitemap: {base}{reverse('sitemap')}",
        f"Sitemap: {base}{reverse('news:news_sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
