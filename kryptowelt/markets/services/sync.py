"""The price sync: CoinGecko's top coins into Coin, MarketSnapshot and one PricePoint per
coin; CoinGecko's trending list. Every sync is safe to repeat and safe to fail: data is
validated before it is written, one sync writes in one transaction, and a failure leaves the
last stored data in place and is recorded in `SyncState` so pages can say how old their
figures are."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kryptowelt.charts.sparkline import sparkline_svg
from kryptowelt.core import formatting
from kryptowelt.markets.coingecko.client import CoinGeckoClient
from kryptowelt.markets.coingecko.errors import CoinGeckoBadPayload, CoinGeckoError
from kryptowelt.markets.coingecko.payloads import MarketEntry
from kryptowelt.markets.models import (
    MONEY,
    PERCENT,
    PRICE,
    SUPPLY,
    Coin,
    MarketSnapshot,
    PricePoint,
    SyncState,
    TrendingCoin,
)
from kryptowelt.markets.services.logos import coin_logos_missing_draw, coin_logos_pending
from kryptowelt.markets.services.mentions import coin_mentions_refresh
from kryptowelt.markets.services.state import (
    SyncReport,
    markets_generation_bump,
    quantize,
    sync_blocked_until,
    sync_failure_record,
    sync_success_record,
)
from kryptowelt.markets.signals import markets_synced
from kryptowelt.markets.tasks import coin_logos_fetch

logger = logging.getLogger("kryptowelt.markets")


def sample_data_remove() -> None:
    """Drop every generated sample price once real data has arrived."""
    if not Coin.objects.filter(is_sample=True).exists():
        return
    PricePoint.objects.filter(source=PricePoint.SOURCE_SAMPLE).delete()
    MarketSnapshot.objects.filter(is_sample=True).delete()
    Coin.objects.filter(is_sample=True).update(is_sample=False, rank=None)


SNAPSHOT_FIELDS = {
    "price": PRICE,
    "market_cap": MONEY,
    "total_volume": MONEY,
    "high_24h": PRICE,
    "low_24h": PRICE,
    "change_1h": PERCENT,
    "change_24h": PERCENT,
    "change_7d": PERCENT,
    "change_30d": PERCENT,
    "change_1y": PERCENT,
    "circulating_supply": SUPPLY,
    "total_supply": SUPPLY,
    "max_supply": SUPPLY,
    "ath": PRICE,
    "ath_change_percentage": PERCENT,
    "atl": PRICE,
}


def snapshot_sparkline_svg(*, values, change_7d: Decimal | None) -> str:
    """The table's 7-day sparkline, drawn once per sync instead of on every page view."""
    label = ""
    if change_7d is not None:
        label = f"Verlauf 7 Tage: {formatting.format_percent(change_7d, sign=True)}"
    up = None if change_7d is None else change_7d >= 0
    return sparkline_svg(values, label=label, up=up)


@transaction.atomic
def market_entries_store(
    *, entries: list[MarketEntry], fetched_at: dt.datetime, is_sample: bool = False
) -> tuple[int, int, set[str]]:
    """Upsert coins and snapshots and append one history point per coin.

    Returns (points added, new coins). Where CoinGecko offers a new logo URL for a coin, its
    logo back-off starts afresh."""
    if not is_sample:
        sample_data_remove()
    ids = [entry.id for entry in entries]
    known = dict(Coin.objects.filter(coingecko_id__in=ids).values_list("coingecko_id", "image_url"))
    # Names and symbols an editor corrected in the admin are kept (Coin.names_by_editor).
    edited = set(
        Coin.objects.filter(coingecko_id__in=ids, names_by_editor=True).values_list(
            "coingecko_id", flat=True
        )
    )
    upserted = ["rank", "image_url", "is_sample", "updated_at"]
    for keep_names in (False, True):
        Coin.objects.bulk_create(
            [
                Coin(
                    coingecko_id=entry.id,
                    symbol=entry.symbol,
                    name=entry.name,
                    rank=entry.rank,
                    image_url=entry.image_url,
                    is_sample=is_sample,
                )
                for entry in entries
                if (entry.id in edited) == keep_names
            ],
            update_conflicts=True,
            unique_fields=["coingecko_id"],
            update_fields=upserted if keep_names else ["symbol", "name", *upserted],
            batch_size=500,
        )
    coins = {coin.coingecko_id: coin for coin in Coin.objects.filter(coingecko_id__in=ids)}
    new_logo_urls = [
        entry.id for entry in entries if entry.id in known and known[entry.id] != entry.image_url
    ]
    Coin.objects.filter(coingecko_id__in=new_logo_urls).update(
        logo_failures=0, logo_retry_not_before=None
    )
    # Coins that fell out of the list keep their page, but no longer a rank in the table.
    Coin.objects.exclude(coingecko_id__in=ids).filter(rank__isnull=False).update(rank=None)

    snapshots = []
    for entry in entries:
        values = {
            name: quantize(getattr(entry, name), spec) for name, spec in SNAPSHOT_FIELDS.items()
        }
        snapshots.append(
            MarketSnapshot(
                coin=coins[entry.id],
                currency="eur",
                ath_date=entry.ath_date,
                atl_date=entry.atl_date,
                sparkline_7d=[round(v, 10) for v in entry.sparkline_7d],
                sparkline_svg=snapshot_sparkline_svg(
                    values=entry.sparkline_7d, change_7d=entry.change_7d
                ),
                last_updated=entry.last_updated,
                fetched_at=fetched_at,
                is_sample=is_sample,
                **values,
            )
        )
    MarketSnapshot.objects.bulk_create(
        snapshots,
        update_conflicts=True,
        unique_fields=["coin"],
        update_fields=[
            "currency",
            *SNAPSHOT_FIELDS,
            "ath_date",
            "atl_date",
            "sparkline_7d",
            "sparkline_svg",
            "last_updated",
            "fetched_at",
            "is_sample",
        ],
        batch_size=500,
    )

    # One history point per coin at the time CoinGecko says the price is from. Without that
    # time there is no point: re-syncing the same data must not add anything.
    candidates = [
        (coins[entry.id].pk, entry) for entry in entries if entry.last_updated is not None
    ]
    added = 0
    if candidates:
        stamps = {entry.last_updated for _, entry in candidates}
        existing = set(
            PricePoint.objects.filter(
                coin_id__in=[pk for pk, _ in candidates],
                currency="eur",
                timestamp__in=stamps,
            ).values_list("coin_id", "timestamp")
        )
        source = PricePoint.SOURCE_SAMPLE if is_sample else PricePoint.SOURCE_SYNC
        new_points = [
            PricePoint(
                coin_id=pk,
                currency="eur",
                timestamp=entry.last_updated,
                price=quantize(entry.price, PRICE),
                market_cap=quantize(entry.market_cap, MONEY),
                volume=quantize(entry.total_volume, MONEY),
                source=source,
            )
            for pk, entry in candidates
            if (pk, entry.last_updated) not in existing
        ]
        PricePoint.objects.bulk_create(new_points, batch_size=500, ignore_conflicts=True)
        added = len(new_points)

    return added, len(ids) - len(known)


def coin_markets_sync(
    *,
    client: CoinGeckoClient | None = None,
    pages: int = 1,
    logos: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    """Fetch the top coins in EUR and store them; on failure keep the last data.

    Logos are never downloaded here: coins without one get a drawn badge, and with `logos`
    the downloads that are due are queued for the task worker (`tasks.coin_logos_fetch`),
    so a slow or dead image host cannot delay the prices."""
    report = SyncReport(kind=SyncState.MARKETS)
    blocked = sync_blocked_until(kind=SyncState.MARKETS)
    if blocked:
        report.error = f"CoinGecko hat um eine Pause bis {blocked:%H:%M:%S} UTC gebeten."
        return report
    own_client = client is None
    client = client or CoinGeckoClient.from_settings()
    try:
        entries: list[MarketEntry] = []
        seen: set[str] = set()
        for page in range(1, pages + 1):
            result = client.coins_markets(vs_currency="eur", per_page=250, page=page)
            for entry in result.items:
                if entry.id not in seen:
                    seen.add(entry.id)
                    entries.append(entry)
            report.skipped.extend(result.skipped)
            if progress:
                progress(page, pages)
        if not entries:
            raise CoinGeckoBadPayload("/coins/markets: keine gültigen Einträge")
        fetched_at = timezone.now()
        added, new_coins = market_entries_store(entries=entries, fetched_at=fetched_at)
        coin_logos_missing_draw(coin_ids=[entry.id for entry in entries])
        report.ok, report.stored, report.points_added, report.new_coins = (
            True,
            len(entries),
            added,
            new_coins,
        )
        sync_success_record(
            kind=SyncState.MARKETS,
            when=fetched_at,
            note=f"{len(report.skipped)} Einträge übersprungen" if report.skipped else "",
        )
        markets_generation_bump()
        # Listeners above markets (price alerts); Django logs a listener's error, never raises.
        markets_synced.send_robust(sender=SyncState, synced_at=fetched_at)
        if new_coins:
            coin_mentions_refresh()
        if logos:
            report.logos_queued = coin_logos_enqueue()
    except CoinGeckoError as exc:
        sync_failure_record(kind=SyncState.MARKETS, error=exc)
        report.error = str(exc)
    finally:
        if own_client:
            client.close()
    return report


def coin_logos_enqueue() -> bool:
    """Queue the logo downloads if any are due; a queue problem never fails a sync."""
    try:
        if not coin_logos_pending():
            return False
        coin_logos_fetch.enqueue()
    except Exception:
        logger.exception("Laden der Logos konnte nicht eingereiht werden")
        return False
    return True


def trending_sync(*, client: CoinGeckoClient | None = None) -> SyncReport:
    """CoinGecko's most searched coins; the list is replaced only by a valid new one."""
    report = SyncReport(kind=SyncState.TRENDING)
    if sync_blocked_until(kind=SyncState.MARKETS):
        report.error = "CoinGecko hat um eine Pause gebeten."
        return report
    own_client = client is None
    client = client or CoinGeckoClient.from_settings()
    try:
        result = client.search_trending()
        if not result.items:
            raise CoinGeckoBadPayload("/search/trending: keine gültigen Einträge")
        now = timezone.now()
        with transaction.atomic():
            TrendingCoin.objects.all().delete()
            TrendingCoin.objects.bulk_create(
                [
                    TrendingCoin(
                        position=item.position,
                        coingecko_id=item.id,
                        name=item.name,
                        symbol=item.symbol,
                        rank=item.rank,
                        fetched_at=now,
                    )
                    for item in result.items[:15]
                ]
            )
        report.ok, report.stored, report.skipped = True, len(result.items[:15]), result.skipped
        sync_success_record(kind=SyncState.TRENDING, when=now)
        markets_generation_bump()
    except CoinGeckoError as exc:
        sync_failure_record(kind=SyncState.TRENDING, error=exc)
        report.error = str(exc)
    finally:
        if own_client:
            client.close()
    return report
