"""The "Verstehe" entries of the main navigation: Krypto-Lexikon and Ratgeber."""

from django.core.cache import cache

NAV_CACHE_KEY = "kw:verstehe:nav:v1"
NAV_CACHE_SECONDS = 600


def verstehe_links() -> list[dict]:
    links = cache.get(NAV_CACHE_KEY)
    if links is not None:
        return links
    from kryptowelt.glossary.models import LexiconIndexPage
    from kryptowelt.guides.models import GuideIndexPage

    links = []
    for model, label in ((LexiconIndexPage, "Lexikon"), (GuideIndexPage, "Ratgeber")):
        page = model.objects.live().public().order_by("path").first()
        if page is not None:
            links.append({"title": label, "url": page.url})
    cache.set(NAV_CACHE_KEY, links, NAV_CACHE_SECONDS)
    return links


def verstehe_links_clear() -> None:
    cache.delete(NAV_CACHE_KEY)
