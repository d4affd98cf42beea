"""Reads of the newsletter: lists for the form, recipients, the archive, what an edition
contains (chosen articles, the automatic overview, market moves) and the send log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kryptowelt.caching.remember import remembered
from kryptowelt.caching.scopes import Scope, reads
from kryptowelt.markets.selectors.trends import market_movers
from kryptowelt.news.models import ArticlePage
from kryptowelt.news.selectors import article_list, with_sections
from kryptowelt.newsletter.models import (
    Delivery,
    EditionSend,
    NewsletterEdition,
    NewsletterList,
    Subscriber,
)
from kryptowelt.popular.selectors import article_most_read_list

DIGEST_PERIODS = {"tag": ("24h", dt.timedelta(hours=24)), "woche": ("7d", dt.timedelta(days=7))}
DIGEST_SIZE = {"tag": 6, "woche": 10}
MOVES_SIZE = 3


def newsletter_list_choices() -> list[NewsletterList]:
    """Active lists, remembered until content changes (every form on every page shows them;
    saving a list changes the content scope, signals.py)."""
    return remembered(
        "newsletter:lists",
        lambda: list(NewsletterList.objects.filter(active=True)),
        seconds=3600,
    )


def subscriber_get(*, address: str) -> Subscriber | None:
    return Subscriber.objects.filter(address=address).prefetch_related("lists").first()


def edition_recipients(*, edition: NewsletterEdition) -> QuerySet[Subscriber]:
    """Confirmed subscribers of the edition's list – nobody else ever gets it."""
    if edition.newsletter_list_id is None:
        return Subscriber.objects.none()
    return Subscriber.objects.filter(
        confirmed_at__isnull=False, lists=edition.newsletter_list_id
    ).order_by("pk")


def edition_archive_list(*, index=None) -> list[NewsletterEdition]:
    """Sent, live editions, newest first (the archive and its feed)."""
    editions = NewsletterEdition.objects.live().public().filter(send__finished_at__isnull=False)
    if index is not None:
        editions = editions.child_of(index)
    return list(editions.select_related("send").order_by("-send__finished_at", "-pk"))


def edition_is_sent(*, edition) -> bool:
    return EditionSend.objects.filter(edition=edition, finished_at__isnull=False).exists()


def _digest_article_ids(digest: str, *, now: dt.datetime, exclude: list[int]) -> list[int]:
    period, span = DIGEST_PERIODS[digest]
    size = DIGEST_SIZE[digest]
    ids = [
        entry.article.pk
        for entry in article_most_read_list(period=period, limit=size, now=now).entries
    ]
    latest = article_list().filter(first_published_at__gte=now - span).values_list("pk", flat=True)
    for pk in latest[: size * 2]:
        if len(ids) >= size:
            break
        if pk not in ids:
            ids.append(pk)
    return [pk for pk in ids if pk not in exclude]


def edition_article_ids(*, edition: NewsletterEdition, now: dt.datetime | None = None) -> list[int]:
    """The articles of the edition: those chosen by hand, then the automatic overview."""
    chosen = [block.value.pk for block in edition.articles if block.value is not None]
    if edition.digest in DIGEST_PERIODS:
        chosen += _digest_article_ids(edition.digest, now=now or timezone.now(), exclude=chosen)
    return list(dict.fromkeys(chosen))


@reads(Scope.MARKETS)
def edition_market_moves() -> list[dict]:
    """The biggest gains and losses of 24 hours, as plain values (frozen with the send)."""
    movers = market_movers(limit=MOVES_SIZE)
    return [
        {
            "name": snapshot.coin.name,
            "symbol": snapshot.coin.symbol.upper(),
            "price": float(snapshot.price),
            "currency": snapshot.currency,
            "change_24h": float(snapshot.change_24h),
        }
        for snapshot in [*movers["gainers"], *movers["losers"]]
    ]


def articles_by_ids(ids: list[int]) -> list[ArticlePage]:
    """Live articles in the given order (an article unpublished since is left out)."""
    found = {a.pk: a for a in with_sections(article_list().filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class SendLog:
    send: EditionSend | None
    recipients: int
    pending: int
    sent: int
    failed: int
    skipped: int
    bounced: int


def edition_send_log(*, edition: NewsletterEdition) -> SendLog:
    send = EditionSend.objects.filter(edition=edition).first()
    if send is None:
        return SendLog(None, edition_recipients(edition=edition).count(), 0, 0, 0, 0, 0)
    status = Delivery.Status
    counts = send.deliveries.aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status__in=(status.PENDING, status.SENDING))),
        sent=Count("pk", filter=Q(status=status.SENT)),
        failed=Count("pk", filter=Q(status=status.FAILED)),
        skipped=Count("pk", filter=Q(status=status.SKIPPED)),
        bounced=Count("pk", filter=Q(status=status.BOUNCED)),
    )
    return SendLog(
        send,
        counts["total"],
        counts["pending"],
        counts["sent"],
        counts["failed"],
        counts["skipped"],
        counts["bounced"],
    )
