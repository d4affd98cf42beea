"""Verstehe: the Krypto-Lexikon and the guides with their chapters."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from kryptowelt.api.content import rich_text_html, stream_blocks, stream_html
from kryptowelt.api.links import api_url, page_url
from kryptowelt.api.pagination import Paged, PageParams, paged
from kryptowelt.api.problems import ApiError
from kryptowelt.api.routers.articles import summaries_in_order
from kryptowelt.api.schemas import ArticleSummary, Block, SlugPath
from kryptowelt.glossary.models import LexiconTermPage
from kryptowelt.glossary.selectors import index_letter, term_related_articles
from kryptowelt.guides.models import ChapterPage, GuidePage
from kryptowelt.guides.selectors import guide_chapters

router = Router(tags=["Lexikon und Ratgeber"])

LETTERS = [chr(code) for code in range(ord("A"), ord("Z") + 1)]


class TermSummary(Schema):
    slug: str
    title: str
    letter: str = Field(description="Buchstabe im Register (A–Z, „0–9“ für Ziffern)")
    short_definition: str
    url: str | None
    api_url: str


class TermRef(Schema):
    slug: str
    title: str
    url: str | None


class Term(TermSummary):
    body_html: str
    body: list[Block]
    variants: list[str] = Field(description="Schreibweisen und Synonyme")
    sources: list[str] = Field(description="Quellen (Adressen)")
    related_terms: list[TermRef]
    related_articles: list[ArticleSummary]


def _term_summary(term) -> dict:
    return {
        "slug": term.slug,
        "title": term.title,
        "letter": index_letter(term.title),
        "short_definition": term.short_definition,
        "url": page_url(term),
        "api_url": api_url(f"lexicon/{term.slug}/"),
    }


@router.get(
    "/lexicon/",
    response=Paged[TermSummary],
    summary="Lexikon-Begriffe",
    operation_id="lexicon_list",
)
def lexicon_list(
    request,
    letter: str | None = Query(
        None,
        pattern=r"^([A-Za-z]|0-9)$",
        description="Nur Begriffe mit diesem Anfangsbuchstaben (A–Z oder 0-9)",
    ),
    page: PageParams = Query(...),
):
    """Die Begriffe des Krypto-Lexikons von A bis Z, jeweils mit Kurzdefinition."""
    terms = sorted(
        LexiconTermPage.objects.live()
        .public()
        .only("title", "slug", "short_definition", "url_path"),
        key=lambda term: term.title.casefold(),
    )
    if letter:
        wanted = "0–9" if letter == "0-9" else letter.upper()
        terms = [term for term in terms if index_letter(term.title) == wanted]
    return paged(request, terms, page, lambda window: [_term_summary(t) for t in window])


@router.get(
    "/lexicon/{slug}/", response=Term, summary="Ein Lexikon-Begriff", operation_id="lexicon_detail"
)
def lexicon_detail(request, slug: SlugPath):
    term = LexiconTermPage.objects.live().public().filter(slug=slug).first()
    if term is None:
        raise ApiError(404, f"Den Begriff „{slug}“ gibt es im Lexikon nicht.")
    data = _term_summary(term)
    data.update(
        {
            "body_html": stream_html(term.body),
            "body": stream_blocks(term.body),
            "variants": term.variant_list,
            "sources": term.source_list,
            "related_terms": [
                {"slug": t.slug, "title": t.title, "url": page_url(t)} for t in term.related_terms
            ],
            "related_articles": summaries_in_order(
                [a.pk for a in term_related_articles(term=term)]
            ),
        }
    )
    return data


class ChapterSummary(Schema):
    number: int
    slug: str
    title: str
    teaser: str
    url: str | None
    api_url: str


class GuideSummary(Schema):
    slug: str
    title: str
    teaser: str
    url: str | None
    api_url: str
    chapter_count: int


class Faq(Schema):
    question: str
    answer_html: str


class Guide(GuideSummary):
    intro_html: str
    chapters: list[ChapterSummary]
    faq: list[Faq]


class GuideRef(Schema):
    slug: str
    title: str
    url: str | None


class Chapter(ChapterSummary):
    guide: GuideRef
    chapter_count: int
    body_html: str
    body: list[Block]
    previous: ChapterSummary | None
    next: ChapterSummary | None


class Guides(Schema):
    items: list[GuideSummary]


def _chapter_summaries(guide) -> list[dict]:
    return [
        {
            "number": number,
            "slug": chapter.slug,
            "title": chapter.title,
            "teaser": chapter.teaser,
            "url": page_url(chapter),
            "api_url": api_url(f"guides/{guide.slug}/chapters/{chapter.slug}/"),
        }
        for number, chapter in enumerate(guide_chapters(guide=guide), start=1)
    ]


def _guide_summary(guide, chapters: list[dict]) -> dict:
    return {
        "slug": guide.slug,
        "title": guide.title,
        "teaser": guide.teaser,
        "url": page_url(guide),
        "api_url": api_url(f"guides/{guide.slug}/"),
        "chapter_count": len(chapters),
    }


def _guide(slug: str):
    guide = GuidePage.objects.live().public().filter(slug=slug).first()
    if guide is None:
        raise ApiError(404, f"Den Ratgeber „{slug}“ gibt es nicht.")
    return guide


@router.get("/guides/", response=Guides, summary="Ratgeber", operation_id="guides_list")
def guides_list(request):
    """Die Ratgeber in der Reihenfolge der Website, jeweils mit der Zahl ihrer Kapitel."""
    guides = GuidePage.objects.live().public().order_by("path")
    return {"items": [_guide_summary(g, _chapter_summaries(g)) for g in guides]}


@router.get("/guides/{slug}/", response=Guide, summary="Ein Ratgeber", operation_id="guides_detail")
def guides_detail(request, slug: SlugPath):
    """Ein Ratgeber mit Einleitung, Kapiteln in ihrer Reihenfolge und häufigen Fragen."""
    guide = _guide(slug)
    chapters = _chapter_summaries(guide)
    data = _guide_summary(guide, chapters)
    data.update(
        {
            "intro_html": rich_text_html(guide.intro),
            "chapters": chapters,
            "faq": [
                {
                    "question": block.value["question"],
                    "answer_html": rich_text_html(block.value["answer"]),
                }
                for block in guide.faq
            ],
        }
    )
    return data


@router.get(
    "/guides/{slug}/chapters/{chapter_slug}/",
    response=Chapter,
    summary="Ein Kapitel",
    operation_id="guides_chapter",
)
def guides_chapter(request, slug: SlugPath, chapter_slug: SlugPath):
    guide = _guide(slug)
    chapters = _chapter_summaries(guide)
    position = next((i for i, c in enumerate(chapters) if c["slug"] == chapter_slug), None)
    chapter = (
        ChapterPage.objects.live().public().child_of(guide).filter(slug=chapter_slug).first()
        if position is not None
        else None
    )
    if chapter is None:
        raise ApiError(404, f"Das Kapitel „{chapter_slug}“ gibt es in diesem Ratgeber nicht.")
    data = dict(chapters[position])
    data.update(
        {
            "guide": {"slug": guide.slug, "title": guide.title, "url": page_url(guide)},
            "chapter_count": len(chapters),
            "body_html": stream_html(chapter.body),
            "body": stream_blocks(chapter.body),
            "previous": chapters[position - 1] if position > 0 else None,
            "next": chapters[position + 1] if position + 1 < len(chapters) else None,
        }
    )
    return data
