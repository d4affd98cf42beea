"""Sections, topics and authors: what the article list filters by."""

from __future__ import annotations

from ninja import Router, Schema
from pydantic import Field

from kryptowelt.api.links import absolute, api_url, page_url
from kryptowelt.news.models import ArticlePage, SectionPage
from kryptowelt.news.selectors import author_list, topic_list

router = Router(tags=["Rubriken, Themen, Autoren"])


class Section(Schema):
    slug: str
    title: str
    intro: str
    url: str | None
    articles_url: str = Field(description="Die Artikel dieser Rubrik in der API")
    article_count: int


class Topic(Schema):
    slug: str
    name: str
    description: str
    url: str | None
    articles_url: str
    article_count: int


class Author(Schema):
    slug: str
    name: str
    role: str
    bio: str
    url: str | None
    articles_url: str
    article_count: int


class Sections(Schema):
    items: list[Section]


class Topics(Schema):
    items: list[Topic]


class Authors(Schema):
    items: list[Author]


@router.get("/sections/", response=Sections, summary="Rubriken", operation_id="sections_list")
def sections_list(request):
    """Die Rubriken (Neuigkeiten, Trends, Tipps, Wissen …) in der Reihenfolge des Menüs."""
    sections = list(SectionPage.objects.live().public().order_by("path"))
    live = ArticlePage.objects.live().public()
    items = []
    for section in sections:
        items.append(
            {
                "slug": section.slug,
                "title": section.title,
                "intro": section.intro,
                "url": page_url(section),
                "articles_url": api_url(f"articles/?section={section.slug}"),
                "article_count": live.child_of(section).count(),
            }
        )
    return {"items": items}


@router.get("/topics/", response=Topics, summary="Themen", operation_id="topics_list")
def topics_list(request):
    """Alle Schlagwörter mit mindestens einem veröffentlichten Artikel, von A bis Z."""
    return {
        "items": [
            {
                "slug": topic.slug,
                "name": topic.name,
                "description": topic.description,
                "url": absolute(topic.get_absolute_url()) or None,
                "articles_url": api_url(f"articles/?topic={topic.slug}"),
                "article_count": topic.article_count,
            }
            for topic in topic_list()
        ]
    }


@router.get("/authors/", response=Authors, summary="Redaktion", operation_id="authors_list")
def authors_list(request):
    """Die Autorinnen und Autoren mit der Zahl ihrer veröffentlichten Artikel (nur was die
    Website zeigt: Name, Funktion, Kurzbiografie; keine Kontaktdaten)."""
    return {
        "items": [
            {
                "slug": author.slug,
                "name": author.name,
                "role": author.role,
                "bio": author.bio,
                "url": absolute(author.get_absolute_url()) or None,
                "articles_url": api_url(f"articles/?author={author.slug}"),
                "article_count": author.article_count,
            }
            for author in author_list()
        ]
    }
