from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from kryptowelt.calculators.sitemaps import CalculatorSitemap
from kryptowelt.comparisons.sitemaps import ComparisonSitemap
from kryptowelt.core import views as core_views
from kryptowelt.news.sitemaps import AuthorSitemap, PageSitemap, TagSitemap
from kryptowelt.search import views as search_views

sitemaps = {
    "seiten": PageSitemap,
    "themen": TagSitemap,
    "autoren": AuthorSitemap,
    "vergleiche": ComparisonSitemap,
    "rechner": CalculatorSitemap,
}

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("dokumente/", include(wagtaildocs_urls)),
    path("suche/", search_views.search, name="search"),
    path("vergleich/", include("kryptowelt.comparisons.urls")),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    path("", include("kryptowelt.news.urls")),
    path("", include("kryptowelt.markets.urls")),
    path("rechner/", include("kryptowelt.calculators.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media"
        ),
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "kryptowelt.core.views.page_not_found"
handler500 = "kryptowelt.core.views.server_error"
