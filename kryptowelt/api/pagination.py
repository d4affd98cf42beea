"""Page pagination for every list: `limit` (1–100) and `offset`, answered with the total
count and the addresses of the previous and next page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Generic, TypeVar

from django.http import QueryDict
from ninja import Schema
from pydantic import BaseModel, Field

from kryptowelt.api.links import site_url

MAX_LIMIT = 100
# Deep offsets cost the database a scan; nobody pages through 100,000 items one by one.
MAX_OFFSET = 100_000
T = TypeVar("T")


class PageParams(Schema):
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT, description="Einträge je Seite (1–100)")] = 20
    offset: Annotated[
        int, Field(ge=0, le=MAX_OFFSET, description="Wie viele Einträge übersprungen werden")
    ] = 0


class Paged(BaseModel, Generic[T]):
    count: int = Field(description="Anzahl aller Einträge")
    limit: int
    offset: int
    next: str | None = Field(description="Adresse der nächsten Seite")
    previous: str | None = Field(description="Adresse der vorigen Seite")
    items: list[T]


def _link(request, offset: int, limit: int) -> str:
    query: QueryDict = request.GET.copy()
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    return f"{site_url()}{request.path}?{query.urlencode()}"


def paged(
    request,
    items: Sequence,
    params: PageParams,
    serialize: Callable[[list], list],
    *,
    count: int | None = None,
) -> dict:
    """One page of `items` (a queryset or a list); `serialize` turns the page's items into
    what the answer lists (all at once, so it can fetch what they share in one query)."""
    limit, offset = params.limit, params.offset
    if count is None:
        count = len(items) if isinstance(items, list | tuple) else items.count()
    window = list(items[offset : offset + limit])
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": _link(request, offset + limit, limit) if offset + limit < count else None,
        "previous": _link(request, max(offset - limit, 0), limit) if offset > 0 else None,
        "items": serialize(window),
    }
