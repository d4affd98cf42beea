"""Response shapes shared by several routers (the OpenAPI document names them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Path, Schema
from pydantic import Field

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=1, max_length=255)]
SlugPath = Annotated[str, Path(pattern=SLUG_PATTERN, min_length=1, max_length=255)]
# Database ids: positive and within what every database stores.
IdPath = Annotated[int, Path(ge=1, le=2_147_483_647)]


class Image(Schema):
    url: str
    width: int
    height: int
    alt: str = Field(description="Alternativtext")
    credit: str = Field(description="Bildnachweis")


class SectionRef(Schema):
    slug: str
    title: str
    url: str | None


class TopicRef(Schema):
    slug: str
    name: str


class AuthorRef(Schema):
    slug: str
    name: str


class Block(Schema):
    type: str = Field(description="Art des Blocks, z. B. paragraph, heading, quote, tip")
    id: str | None
    value: Any = Field(description="Inhalt des Blocks; Fließtext als bereinigtes HTML")


class ArticleSummary(Schema):
    id: int
    title: str
    slug: str
    url: str | None = Field(description="Adresse des Artikels auf der Website")
    api_url: str
    teaser: str = Field(description="Vorspann")
    section: SectionRef | None
    topics: list[TopicRef]
    authors: list[AuthorRef]
    published_at: dt.datetime
    updated_at: dt.datetime | None = Field(description="Nur bei inhaltlicher Aktualisierung")
    reading_time_minutes: int
    image: Image | None


class ArticleDetail(ArticleSummary):
    body_html: str = Field(description="Text als bereinigtes HTML (ohne Skripte und Stile)")
    body: list[Block] = Field(description="Text als Blöcke")
    disclaimer: str | None = Field(description="Risikohinweis bei Artikeln mit Tipps")
    related_url: str


class Index(Schema):
    name: str
    version: str
    docs: str
    openapi: str
    license: str
    endpoints: dict[str, str]
