"""Response shapes shared by several routers (the OpenAPI document names them)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Path, Schema
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=1, max_length=255)]
SlugPath = Annotated[str, Path(pattern=SLUG_PATTERN, min_length=1, max_length=255)]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value):
    """A date as the OpenAPI document describes it (`format: date`, JJJJ-MM-TT). pydantic
    alone also read numbers as Unix times: `until=-9.4e-208` filtered by 1 January 1970."""
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "Datum im Format JJJJ-MM-TT erwartet")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]
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
