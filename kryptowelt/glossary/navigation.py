"""The "Verstehe" entries of the main navigation: Krypto-Lexikon and Ratgeber."""

from kryptowelt.core.http_cache import remembered

NAV_CACHE_SECONDS = 600


def verstehe_links() -> list[dict]:
    """Kept until content changes (any publish, unpublish or move starts a new generation)."""
    return remembered("verstehe-nav", _verstehe_links_compute, seconds=NAV_CACHE_SECONDS)


def _verstehe_links_compute() -> list[dict]:
    from kryptowelt.glossary.models import LexiconIndexPage
    from kryptowelt.guides.models import GuideIndexPage

    links = []
    for model, label in ((LexiconIndexPage, "Lexikon"), (GuideIndexPage, "Ratgeber")):
        page = model.objects.live().public().order_by("path").first()
        if page is not None:
            links.append({"title": label, "url": page.url})
    return links
