"""Price history writes: appending points (append-only, idempotent), CoinGecko's daily
history per coin, and thinning out old 5-minute points of the price sync."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kryptowelt.markets.coingecko.client import CoinGeckoClient
from kryptowelt.markets.coingecko.errors import (
    CoinGeckoBadPayload,
    CoinGeckoClientError,
    CoinGeckoError,
)
from kryptowelt.markets.models import MONEY, PRICE, Coin, PricePoint, SyncState
from kryptowelt.markets.services.state import (
    SyncReport,
    markets_generation_bump,
    quantize,
    sync_blocked_until,
    sync_failure_record,
    sync_success_record,
)

logger = logging.getLogger("kryptowelt.markets")


def price_points_append(*, coin: Coin, currency: str, points: Iterable[tuple], source: str) -> int:
    """Insert (timestamp, price, market_cap, volume) rows that are not stored yet.

    Existing rows are never changed; the count returned is what was really added."""
    rows = {}
    for timestamp, price, market_cap, volume in points:
        rows.setdefault(timestamp, (price, market_cap, volume))
    if not rows:
        return 0
    first, last = min(rows), max(rows)
    existing = set(
        PricePoint.objects.filter(
            coin=coin, currency=currency, timestamp__gte=first, timestamp__lte=last
        ).values_list("timestamp", flat=True)
    )
    new = [
        PricePoint(
            coin=coin,
            currency=currency,
            timestamp=timestamp,
            price=quantize(price, PRICE),
            market_cap=quantize(market_cap, MONEY),
            volume=quantize(volume, MONEY),
            source=source,
        )
        for timestamp, (price, market_cap, volume) in sorted(rows.items())
        if timestamp not in existing
    ]
    PricePoint.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


def coin_history_sync(
    *,
    client: CoinGeckoClient | None = None,
    coin_ids: list[str] | None = None,
    days: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    """Daily EUR history of the top coins (or `coin_ids`) from `/coins/{id}/market_chart`.

    Stops at the first network failure (the next run continues); a coin whose answer is
    unusable is skipped."""
    report = SyncReport(kind=SyncState.HISTORY)
    blocked = sync_blocked_until(kind=SyncState.HISTORY) or sync_blocked_until(
        kind=SyncState.MARKETS
    )
    if blocked:
        report.error = f"CoinGecko hat um eine Pause bis {blocked:%H:%M:%S} UTC gebeten."
        return report
    days = days or settings.MARKETS_HISTORY_DAYS
    if coin_ids:
        coins = list(Coin.objects.filter(coingecko_id__in=coin_ids))
    else:
        coins = list(
            Coin.objects.filter(rank__isnull=False, is_sample=False).order_by("rank")[
                : settings.MARKETS_HISTORY_COINS
            ]
        )
    if not coins:
        report.error = "Keine Coins für den Verlauf (zuerst die Kurse abgleichen)."
        return report
    own_client = client is None
    client = client or CoinGeckoClient.from_settings()
    try:
        for index, coin in enumerate(coins, start=1):
            try:
                result = client.coin_market_chart(
                    coin_id=coin.coingecko_id, vs_currency="eur", days=days
                )
            except (CoinGeckoBadPayload, CoinGeckoClientError) as exc:
                report.skipped.append(f"{coin.coingecko_id}: {exc}")
                logger.warning("Verlauf %s übersprungen: %s", coin.coingecko_id, exc)
                continue
            report.skipped.extend(f"{coin.coingecko_id}: {s}" for s in result.skipped)
            with transaction.atomic():
                report.points_added += price_points_append(
                    coin=coin,
                    currency="eur",
                    points=[(p.timestamp, p.price, p.market_cap, p.volume) for p in result.items],
                    source=PricePoint.SOURCE_CHART,
                )
            report.stored += 1
            if progress:
                progress(index, len(coins))
        report.ok = True
        sync_success_record(kind=SyncState.HISTORY, when=timezone.now())
    except CoinGeckoError as exc:
        sync_failure_record(kind=SyncState.HISTORY, error=exc)
        report.error = str(exc)
    finally:
        if own_client:
            client.close()
        if report.points_added:
            markets_generation_bump()
    return report


def price_history_compact(*, now: dt.datetime | None = None) -> int:
    """Thin out the 5-minute points of the price sync: older than 2 days keep one per hour,
    older than 90 days one per day (the last of each, so daily closes stay the same).
    Only points of the price sync are thinned; imported and daily history never are."""
    now = now or timezone.now()
    removed = 0
    for age, bucket in ((dt.timedelta(days=90), "day"), (dt.timedelta(days=2), "hour")):
        cutoff = now - age
        rows = (
            PricePoint.objects.filter(source=PricePoint.SOURCE_SYNC, timestamp__lt=cutoff)
            .order_by("coin_id", "currency", "timestamp")
            .values_list("pk", "coin_id", "currency", "timestamp")
        )
        keep: dict[tuple, tuple[dt.datetime, int]] = {}
        doomed = []
        for pk, coin_id, currency, timestamp in rows.iterator(chunk_size=5000):
            start = timestamp.replace(minute=0, second=0, microsecond=0)
            if bucket == "day":
                start = start.replace(hour=0)
            key = (coin_id, currency, start)
            previous = keep.get(key)
            if previous is not None:
                doomed.append(previous[1])
            keep[key] = (timestamp, pk)
        for offset in range(0, len(doomed), 900):
            removed += PricePoint.objects.filter(pk__in=doomed[offset : offset + 900]).delete()[0]
    if removed:
        markets_generation_bump()
    return removed
