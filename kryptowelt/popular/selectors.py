"""Reads of „Meistgelesen“: the most read published articles of the last 24 hours or 7 days,
overall or in one section; articles the editors excluded never appear."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import Sum
from django.utils import timezone

from kryptowelt.caching.remember import remembered
from kryptowelt.caching.scopes import Scope, reads
from kryptowelt.news.selectors import article_list, with_sections
from kryptowelt.popular.models import ArticleViews

MostReadPeriod = Literal["24h", "7d"]
PERIODS: dict[str, dt.timedelta] = {"24h": dt.timedelta(hours=24), "7d": dt.timedelta(days=7)}
PERIOD_LABELS = {"24h": "24 Stunden", "7d": "7 Tagen"}
REMEMBER_SECONDS = 900


@dataclass(frozen=True)
class MostReadEntry:
    article: object
    views: int


@dataclass(frozen=True)
class MostRead:
    period: str
    since: dt.datetime
    entries: list[MostReadEntry]


def period_start(period: str, now: dt.datetime | None = None) -> dt.datetime:
    """The first hour counted: the current hour and the hours before it, 24 or 168 in all."""
    now = (now or timezone.now()).astimezone(dt.UTC)
    hour = now.replace(minute=0, second=0, microsecond=0)
    return hour - PERIODS[period] + dt.timedelta(hours=1)


def _ranking(since: dt.datetime, section_path: str, section_depth: int, limit: int) -> list:
    rows = ArticleViews.objects.filter(
        hour__gte=since, article__live=True, article__most_read_excluded=False
    )
    if section_path:
        rows = rows.filter(article__path__startswith=section_path, article__depth=section_depth + 1)
    # A few more than needed: an article may turn out not to be public.
    ranked = (
        rows.values("article_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-article_id")[: limit + 5]
    )
    return [(row["article_id"], row["total"]) for row in ranked]


@reads(Scope.POPULAR)
def article_most_read_list(
    *, period: MostReadPeriod = "24h", section=None, limit: int = 5, now=None
) -> MostRead:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    since = period_start(period, now)
    path, depth = (section.path, section.depth) if section is not None else ("", 0)
    key = f"popular:{period}:{path or '-'}:{limit}:{since:%Y%m%d%H}"
    ranking = remembered(
        key,
        lambda: _ranking(since, path, depth, limit),
        seconds=REMEMBER_SECONDS,
        scopes=(Scope.POPULAR,),
    )
    # The articles too, until the ranking or the content changes: the box is on the home page
    # and every section page, and loading its articles was two queries on each of them.
    ids = ",".join(str(pk) for pk, _ in ranking)
    entries = remembered(
        f"{key}:entries:{ids}",
        lambda: _entries(ranking, limit),
        seconds=REMEMBER_SECONDS,
        scopes=(Scope.POPULAR,),
    )
    return MostRead(period=period, since=since, entries=entries)


def _entries(ranking: list[tuple[int, int]], limit: int) -> list[MostReadEntry]:
    if not ranking:
        return []
    ids = [pk for pk, _ in ranking]
    articles = {a.pk: a for a in with_sections(article_list().filter(pk__in=ids))}
    return [
        MostReadEntry(article=articles[pk], views=views) for pk, views in ranking if pk in articles
    ][:limit]
