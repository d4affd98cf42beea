"""Builders for tests and benchmarks: sections' specs, authors and articles (the whole site
with its home page: kryptowelt.home.factories.site_create)."""

import itertools

from django.utils import timezone

from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.news.models import SectionPage
from kryptowelt.news.services import article_create, author_get_or_create

_counter = itertools.count(1)

SECTION_SPECS = [
    ("Neuigkeiten", "neuigkeiten", False),
    ("Trends", "trends", False),
    ("Tipps", "tipps", True),
    ("Wissen", "wissen", False),
]


def section_get(slug: str) -> SectionPage:
    return SectionPage.objects.get(slug=slug)


def article_make(
    *,
    section: str = "neuigkeiten",
    title: str | None = None,
    teaser: str = "Ein kurzer Vorspann zum Artikel.",
    body: str = "## Erste Überschrift\n\nEin Absatz mit Text über Bitcoin.",
    tags=("Bitcoin",),
    author: str = "Erika Musterfrau",
    published_at=None,
    **kwargs,
):
    number = next(_counter)
    return article_create(
        section=section_get(section),
        title=title or f"Testartikel Nummer {number}",
        teaser=teaser,
        body=markdown_to_blocks(body),
        authors=[author_get_or_create(name=author)],
        tags=list(tags),
        published_at=published_at or timezone.now() - timezone.timedelta(minutes=number),
        **kwargs,
    )
