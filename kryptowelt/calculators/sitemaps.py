from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class CalculatorSitemap(Sitemap):
    """The overview and the three calculators (their empty forms; results are not listed)."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return ["overview", "sparplan", "gewinn", "steuer"]

    def location(self, item):
        return reverse(f"calculators:{item}")
