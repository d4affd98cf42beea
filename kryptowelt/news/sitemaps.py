from django.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from kryptowelt.news.models import ArticlePage, Author, Topic


class PageSitemap(WagtailSitemap):
    pass


class TagSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        live_ids = ArticlePage.objects.live().public().values("pk")
        return (
            Topic.objects.filter(tagged_articles__content_object_id__in=live_ids)
            .distinct()
            .order_by("name")
        )

    def location(self, item):
        return item.get_absolute_url()


class AuthorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return Author.objects.order_by("name")
