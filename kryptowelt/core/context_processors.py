from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

SITE_NAME = "Die Welt der Kryptowährungen: Trends, Tipps und Neuigkeiten"
SITE_TAGLINE = "Vergleiche. Verstehe. Gewinne."
CHROME_CACHE_KEY = "kw:chrome:v1"
CHROME_CACHE_SECONDS = 600


def _chrome_data() -> dict:
    """Navigation and footer links: the same on every page, so cached until pages change."""
    data = cache.get(CHROME_CACHE_KEY)
    if data is not None:
        return data
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
    cache.set(CHROME_CACHE_KEY, data, CHROME_CACHE_SECONDS)
    return data


def clear_chrome_cache() -> None:
    cache.delete(CHROME_CACHE_KEY)


def site_chrome(request):
    return {
        "chrome": SimpleLazyObject(_chrome_data),
        "site_name": SITE_NAME,
        "site_tagline": SITE_TAGLINE,
    }
