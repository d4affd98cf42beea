"""Reads of the home page beyond the articles: the pillars it leads to."""

from kryptowelt.caching.remember import remembered

PILLARS_SECONDS = 600


def home_pillars(*, home) -> list[dict]:
    """The pages below the home page that lead somewhere besides articles (Vergleiche,
    Rechner, Lexikon, Ratgeber), in menu order, with their teaser links
    (BasePage.teaser_links). Sections and /kurse/ (the market box) offer none."""
    return remembered(
        f"home-pillars:{home.pk}", lambda: _pillars_compute(home), seconds=PILLARS_SECONDS
    )


def _pillars_compute(home) -> list[dict]:
    pillars = []
    for page in home.get_children().live().public().in_menu().specific().order_by("path"):
        links = page.teaser_links() if hasattr(page, "teaser_links") else []
        if not links:
            continue
        intro = getattr(page, "intro", "") or page.search_description
        pillars.append(
            {
                "title": getattr(page, "nav_title", page.title),
                "url": page.url,
                "intro": intro if isinstance(intro, str) else "",
                "links": [{"title": link.title, "url": link.url} for link in links],
            }
        )
    return pillars
