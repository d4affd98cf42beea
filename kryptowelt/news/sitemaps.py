from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap


class PageSitemap(WagtailSitemap):
    """Every live page, with the sub-pages routable pages serve (their get_sitemap_urls)."""
