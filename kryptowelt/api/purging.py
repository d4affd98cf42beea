"""Which API addresses the caching proxy may keep until a publish purges them, and which
ones a publish of a page purges (signals.py). Everything else is kept briefly (http.py)."""

from __future__ import annotations

import re

from kryptowelt.glossary.models import LexiconTermPage
from kryptowelt.guides.models import ChapterPage, GuidePage
from kryptowelt.news.models import ArticlePage

# The lists every publish may change, without query string (paths below /api/v1/).
LIST_PATHS = (
    "",
    "pages/",
    "articles/",
    "sections/",
    "topics/",
    "authors/",
    "lexicon/",
    "guides/",
)
# Answers that change only with a deployment.
STATIC_PATHS = ("openapi.json", "docs/", "score-method/")
_PURGED_DETAILS = re.compile(
    r"^(pages/\d+/|articles/\d+/|lexicon/[-\w]+/|guides/[-\w]+/(chapters/[-\w]+/)?)$"
)


def is_purged(path: str) -> bool:
    """Whether the answer at `path` (below /api/v1/, no query) is purged when it changes."""
    return path in LIST_PATHS or path in STATIC_PATHS or bool(_PURGED_DETAILS.match(path))


def api_purge_paths(page) -> set[str]:
    """The API paths (below /api/v1/) that show `page` or list it."""
    paths = set(LIST_PATHS) | {f"pages/{page.pk}/"}
    if isinstance(page, ArticlePage):
        paths.add(f"articles/{page.pk}/")
    elif isinstance(page, LexiconTermPage):
        paths.add(f"lexicon/{page.slug}/")
    elif isinstance(page, GuidePage):
        paths.add(f"guides/{page.slug}/")
    elif isinstance(page, ChapterPage):
        guide = page.guide
        if guide is not None:
            paths |= {f"guides/{guide.slug}/", f"guides/{guide.slug}/chapters/{page.slug}/"}
    return paths
