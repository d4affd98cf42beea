"""Shared by every write of the markets app: the markets scope of kryptowelt.caching (what
keys cached charts and tables), the record of each sync in `SyncState`, and the report a sync
returns."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from kryptowelt.caching.scopes import Scope, changed, generations
from kryptowelt.markets.coingecko.errors import CoinGeckoRateLimited
from kryptowelt.markets.models import SyncState
from kryptowelt.markets.services.mentions import mention_matcher_forget

logger = logging.getLogger("kryptowelt.markets")


def quantize(value: Decimal | None, spec: dict) -> Decimal | None:
    """`value` rounded to the decimal places of a model field spec (models.PRICE, …)."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-spec["decimal_places"]), rounding=ROUND_HALF_UP)


def markets_generation() -> int:
    """A number that changes after every write, for cache keys of charts and tables."""
    return generations()[Scope.MARKETS]


def markets_generation_bump() -> None:
    mention_matcher_forget()
    # Renews what shows prices (pages, fragments, tables), and nothing else.
    changed(Scope.MARKETS)


def sync_blocked_until(*, kind: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """The time before which CoinGecko asked us (HTTP 429) not to call again, if any."""
    now = now or timezone.now()
    until = SyncState.objects.filter(kind=kind).values_list("retry_not_before", flat=True).first()
    return until if until and until > now else None


def sync_failure_record(*, kind: str, error: Exception) -> None:
    now = timezone.now()
    retry_not_before = None
    if isinstance(error, CoinGeckoRateLimited) and error.retry_after:
        retry_not_before = now + dt.timedelta(seconds=error.retry_after)
    SyncState.objects.update_or_create(
        kind=kind,
        defaults={
            "last_attempt_at": now,
            "last_error": str(error)[:2000],
            "retry_not_before": retry_not_before,
        },
    )
    logger.warning("Abgleich %s fehlgeschlagen: %s", kind, error)


def sync_success_record(*, kind: str, when: dt.datetime, note: str = "") -> None:
    SyncState.objects.update_or_create(
        kind=kind,
        defaults={
            "last_attempt_at": when,
            "last_success_at": when,
            "last_error": note[:2000],
            "retry_not_before": None,
        },
    )


@dataclass
class SyncReport:
    kind: str
    ok: bool = False
    stored: int = 0
    points_added: int = 0
    new_coins: int = 0
    logos_queued: bool = False
    skipped: list[str] = field(default_factory=list)
    error: str = ""
