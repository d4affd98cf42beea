from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from kryptowelt.caching.remember import remembered
from kryptowelt.core.models import PortalSettings

SITE_NAME = "Die Welt der Kryptowährungen: Trends, Tipps und Neuigkeiten"
SITE_TAGLINE = "Vergleiche. Verstehe. Gewinne."
CHROME_CACHE_SECONDS = 600


def _chrome_data() -> dict:
    """Main menu and footer links: the same on every page, so kept until content changes."""
    return remembered("chrome", _chrome_compute, seconds=CHROME_CACHE_SECONDS)


def _chrome_compute() -> dict:
    site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    home = site.root_page if site is not None else None
    menu = []
    if home is not None:
        # Pages of every app may be in the menu: their URL, tree path and menu title.
        for page in home.get_children().live().public().in_menu().specific().order_by("path"):
            menu.append(
                {
                    "title": getattr(page, "nav_title", page.title),
                    "url": page.url,
                    "path": page.path,
                }
            )
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
    return {
        "menu": menu,
        "footer_links": footer_links,
        "disclaimer": portal.disclaimer,
        "home_url": home.url if home is not None else "/",
    }


def site_chrome(request):
    return {
        "chrome": SimpleLazyObject(_chrome_data),
        "site_name": SITE_NAME,
        "site_tagline": SITE_TAGLINE,
    }
