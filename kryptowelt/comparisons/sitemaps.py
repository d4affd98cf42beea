from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kryptowelt.comparisons.models import Provider
from kryptowelt.comparisons.selectors import KINDS


class ComparisonSitemap(Sitemap):
    """The comparison overview, one page per kind, the method page and every provider."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        fixed = [
            reverse("comparisons:index"),
            reverse("comparisons:methodology"),
            *[reverse("comparisons:kind", args=[slug]) for slug in KINDS],
        ]
        providers = [
            reverse("comparisons:provider", args=[slug])
            for slug in Provider.objects.live().order_by("name").values_list("slug", flat=True)
        ]
        return fixed + providers

    def location(self, item):
        return item
