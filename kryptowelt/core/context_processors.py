from django.utils.functional import SimpleLazyObject

from kryptowelt.core.http_cache import remembered

SITE_NAME = "Die Welt der Kryptowährungen: Trends, Tipps und Neuigkeiten"
SITE_TAGLINE = "Vergleiche. Verstehe. Gewinne."
CHROME_CACHE_SECONDS = 600


def _chrome_data() -> dict:
    """Navigation and footer links: the same on every page, so kept until content changes."""
    return remembered("chrome", _chrome_compute, seconds=CHROME_CACHE_SECONDS)


def _chrome_compute() -> dict:
    from kryptowelt.core.models import HomePage, PortalSettings, SectionPage

    home = HomePage.objects.live().first()
    sections = []
    if home is not None:
        sections = [
            {"title": page.title, "url": page.url, "slug": page.slug}
            for page in SectionPage.objects.live().public().child_of(home).order_by("path")
        ]
    portal = PortalSettings.load()
    footer_links = []
    for field, fallback in (
        ("impressum_page", "Impressum"),
        ("privacy_page", "Datenschutz"),
        ("about_page", "Über uns"),
    ):
        page = getattr(portal, field)
        if page is not None and page.live:
            footer_links.append({"title": page.title or fallback, "url": page.url})
    data = {
        "nav_sections": sections,
        "footer_links": footer_links,
        "disclaimer": portal.disclaimer,
        "home_url": home.url if home else "/",
    }
    return data


def site_chrome(request):
    return {
        "chrome": SimpleLazyObject(_chrome_data),
        "site_name": SITE_NAME,
        "site_tagline": SITE_TAGLINE,
    }
