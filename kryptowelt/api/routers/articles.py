"""Articles: the list with filters and full-text search, "Meistgelesen", one article with its
body as sanitised HTML and as blocks, and its related articles."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Query, Router, Schema
from pydantic import Field

from kryptowelt.api.content import stream_blocks, stream_html
from kryptowelt.api.links import (
    DETAIL_RENDITION,
    LISTING_RENDITION,
    api_url,
    image_data,
    page_url,
)
from kryptowelt.api.pagination import Paged, PageParams, paged
from kryptowelt.api.problems import ApiError
from kryptowelt.api.schemas import (
    SLUG_PATTERN,
    ArticleDetail,
    ArticleSummary,
    IdPath,
    IsoDate,
    Slug,
)
from kryptowelt.news.models import Author, SectionPage, Topic
from kryptowelt.news.selectors import article_feed_list, with_sections
from kryptowelt.popular.selectors import MostReadPeriod, article_most_read_list
from kryptowelt.related.selectors import article_related_list
from kryptowelt.search.analysis import MAX_QUERY_CHARS, query_stems
from kryptowelt.search.selectors import page_search

router = Router(tags=["Artikel"])

DISCLAIMER = (
    "Keine Anlageberatung. Dieser Artikel informiert und gibt allgemeine Tipps; er ist keine "
    "Empfehlung, Kryptowerte zu kaufen oder zu verkaufen. Kryptowerte schwanken stark, ein "
    "Totalverlust ist möglich."
)


def article_summary(article) -> dict:
    section = article.__dict__.get("section")
    return {
        "id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "url": page_url(article),
        "api_url": api_url(f"articles/{article.pk}/"),
        "teaser": article.teaser,
        "section": {"slug": section.slug, "title": section.title, "url": page_url(section)}
        if section is not None
        else None,
        "topics": [{"slug": tag.slug, "name": tag.name} for tag in article.tags.all()],
        "authors": [{"slug": a.slug, "name": a.name} for a in article.authors],
        "published_at": article.published_at,
        "updated_at": article.updated_at if article.shows_update else None,
        "reading_time_minutes": article.reading_time,
        "image": image_data(article.hero_image, LISTING_RENDITION),
    }


def summaries(articles) -> list[dict]:
    return [article_summary(article) for article in with_sections(articles)]


def summaries_in_order(ids: list[int]) -> list[dict]:
    """Articles by id, in the order given, with what their summaries show."""
    found = {article.pk: article for article in article_feed_list().filter(pk__in=ids)}
    return summaries([found[pk] for pk in ids if pk in found])


class ArticleFilters(Schema):
    section: Slug | None = Field(None, description="Rubrik (Kurzname), z. B. neuigkeiten")
    topic: Slug | None = Field(None, description="Schlagwort (Kurzname), z. B. bitcoin")
    author: Slug | None = Field(None, description="Autor/in (Kurzname)")
    since: IsoDate | None = Field(None, description="Erschienen am oder nach (JJJJ-MM-TT)")
    until: IsoDate | None = Field(None, description="Erschienen am oder vor (JJJJ-MM-TT)")
    q: Annotated[str, Field(max_length=MAX_QUERY_CHARS)] | None = Field(
        None, description="Volltextsuche; versteht deutsche Wortformen (Börse, Börsen, Boerse)"
    )


def _filtered(filters: ArticleFilters):
    section = topic = author = None
    if filters.section:
        section = SectionPage.objects.live().public().filter(slug=filters.section).first()
        if section is None:
            raise ApiError(404, f"Die Rubrik „{filters.section}“ gibt es nicht.")
    if filters.topic:
        topic = Topic.objects.filter(slug=filters.topic).first()
        if topic is None:
            raise ApiError(404, f"Das Schlagwort „{filters.topic}“ gibt es nicht.")
    if filters.author:
        author = Author.objects.filter(slug=filters.author).first()
        if author is None:
            raise ApiError(404, f"Die Autorin oder den Autor „{filters.author}“ gibt es nicht.")
    articles = article_feed_list(section=section, tag=topic, author=author)
    if filters.since:
        articles = articles.filter(first_published_at__date__gte=filters.since)
    if filters.until:
        articles = articles.filter(first_published_at__date__lte=filters.until)
    return articles


@router.get(
    "/articles/", response=Paged[ArticleSummary], summary="Artikel", operation_id="articles_list"
)
def articles_list(request, filters: ArticleFilters = Query(...), page: PageParams = Query(...)):
    """Veröffentlichte Artikel, neueste zuerst; mit `q` nach Relevanz der Suche."""
    articles = _filtered(filters)
    query = (filters.q or "").strip()
    if query:
        # A query without a single word (only signs) finds nothing; an empty one is no filter.
        stems = query_stems(query)
        ranked = page_search(stems=stems)[0] if stems else []
        allowed = set(articles.filter(pk__in=ranked).values_list("pk", flat=True))
        ids = [pk for pk in ranked if pk in allowed]
        return paged(request, ids, page, summaries_in_order)
    return paged(request, articles, page, summaries)


class MostReadItem(Schema):
    rank: int
    views: int = Field(description="Aufrufe im Zeitraum (ohne Bots und Vorabrufe)")
    article: ArticleSummary


class MostRead(Schema):
    period: str
    since: dt.datetime
    items: list[MostReadItem]


@router.get(
    "/articles/most-read/",
    response=MostRead,
    summary="Meistgelesen",
    operation_id="articles_most_read",
)
def articles_most_read(
    request,
    period: MostReadPeriod = Query("24h", description="Zeitraum: 24h oder 7d"),
    section: str | None = Query(
        None, pattern=SLUG_PATTERN, max_length=255, description="Nur diese Rubrik (Kurzname)"
    ),
    limit: int = Query(10, ge=1, le=20, description="Wie viele (1–20)"),
):
    """Die meistgelesenen Artikel der letzten 24 Stunden oder 7 Tage. Gezählt werden
    Seitenaufrufe ohne Cookies und ohne personenbezogene Daten (siehe Dokumentation)."""
    section_page = None
    if section:
        section_page = SectionPage.objects.live().public().filter(slug=section).first()
        if section_page is None:
            raise ApiError(404, f"Die Rubrik „{section}“ gibt es nicht.")
    result = article_most_read_list(period=period, section=section_page, limit=limit)
    items = summaries_in_order([entry.article.pk for entry in result.entries])
    views = {entry.article.pk: entry.views for entry in result.entries}
    return {
        "period": period,
        "since": result.since,
        "items": [
            {"rank": rank, "views": views[item["id"]], "article": item}
            for rank, item in enumerate(items, start=1)
        ],
    }


def _article(article_id: int):
    # The feed's queryset already brings the authors in their order.
    article = article_feed_list().defer(None).filter(pk=article_id).first()
    if article is None:
        raise ApiError(404, "Diesen Artikel gibt es nicht (oder er ist nicht veröffentlicht).")
    return with_sections([article])[0]


@router.get(
    "/articles/{article_id}/",
    response=ArticleDetail,
    summary="Ein Artikel",
    operation_id="articles_detail",
)
def articles_detail(request, article_id: IdPath):
    """Ein veröffentlichter Artikel mit seinem Text als bereinigtes HTML und als Blöcke."""
    article = _article(article_id)
    data = article_summary(article)
    data["image"] = image_data(article.hero_image, DETAIL_RENDITION)
    data.update(
        {
            "body_html": stream_html(article.body),
            "body": stream_blocks(article.body),
            "disclaimer": DISCLAIMER if article.gives_tips else None,
            "related_url": api_url(f"articles/{article.pk}/related/"),
        }
    )
    return data


class Related(Schema):
    items: list[ArticleSummary]


@router.get(
    "/articles/{article_id}/related/",
    response=Related,
    summary="Weitere interessante Artikel",
    operation_id="articles_related",
)
def articles_related(request, article_id: IdPath):
    """Die Artikel, die unter dem Artikel als „Weitere interessante Artikel“ stehen."""
    article = _article(article_id)
    related = article_related_list(article=article)
    return {"items": summaries_in_order([item.pk for item in related])}
