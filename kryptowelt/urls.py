from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from kryptowelt.core import views as core_views
from kryptowelt.core.admin_workflow import workflow_action
from kryptowelt.news import sitemaps
from kryptowelt.ops import views as ops_views
from kryptowelt.search import views as search_views

# Every page of the tree lists itself and the URLs it serves (get_sitemap_urls): sections,
# articles, /kurse/ with every coin, /vergleich/ with every provider, the calculators,
# topics, authors, Lexikon, Ratgeber. A large archive gets an index of several parts.

urlpatterns = [
    # Wagtail's approve/reject view plus a German confirmation (it resolves before Wagtail's).
    path(
        "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        workflow_action,
    ),
    # The password reset mail as plain text plus HTML (kryptowelt/ops/views.py).
    path(
        "admin/password_reset/",
        ops_views.PasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumente/", include(wagtaildocs_urls)),
    path("suche/", search_views.search, name="search"),
    # The public read-only JSON API with its OpenAPI document and docs page.
    path("api/v1/", include("kryptowelt.api.urls")),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    re_path(r"^sitemap-(?P<section>seiten)\.xml$", sitemaps.sitemap_part, name="sitemap_part"),
    path("", include("kryptowelt.news.urls")),
    path("", include("kryptowelt.calculators.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media"
        ),
    ]

# Wagtail's own URLs, with its page view replaced by ours (CSRF decided per route).
urlpatterns += [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, core_views.serve_page, name="wagtail_serve"),
]

# German pages in the site's look (kryptowelt/core/errors.py).
handler400 = "kryptowelt.core.errors.bad_request"
handler403 = "kryptowelt.core.errors.permission_denied"
handler404 = "kryptowelt.core.errors.page_not_found"
handler500 = "kryptowelt.core.errors.server_error"
