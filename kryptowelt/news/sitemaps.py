from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import index as sitemap_index_view
from wagtail.contrib.sitemaps.views import sitemap as sitemap_view


class PageSitemap(WagtailSitemap):
    """Every live page, with the sub-pages routable pages serve (their get_sitemap_urls)."""

    # Pages per sitemap page. A sitemap may hold 50,000 URLs; routable pages add their
    # sub-pages (coins, topics, authors, Lexikon entries) to the pages counted here.
    limit = 45_000


SITEMAPS = {"seiten": PageSitemap}


def sitemap(request):
    """/sitemap.xml: the sitemap while it fits one file; beyond PageSitemap.limit pages (a
    large archive), the index of its parts /sitemap-seiten.xml?p=1 … (sitemap_part)."""
    if PageSitemap(request).paginator.num_pages <= 1:
        return sitemap_view(request, sitemaps=SITEMAPS)
    return sitemap_index_view(request, sitemaps=SITEMAPS, sitemap_url_name="sitemap_part")


def sitemap_part(request, section):
    return sitemap_view(request, sitemaps=SITEMAPS, section=section)
