"""Reads of a coin's stored quote and how current it is: what the "Kurs" block, price chips
and every page with prices show about freshness. Imports nothing above the markets models,
so the article blocks (loaded while page models are defined) can use it directly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import ngettext

from kryptowelt.charts.sparkline import sparkline_svg
from kryptowelt.markets.models import Coin, MarketSnapshot, PricePoint, SyncState

# --- freshness --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataStatus:
    """How current the shown figures are, and whether they are generated samples."""

    as_of: dt.datetime | None
    is_stale: bool
    is_sample: bool
    age_minutes: int | None

    @property
    def has_data(self) -> bool:
        return self.as_of is not None

    @property
    def age_text(self) -> str:
        """The age for "liegt … zurück": "1 Minute", "3 Stunden", "103 Tage"."""
        minutes = self.age_minutes or 0
        if minutes < 120:
            return ngettext("%(n)d Minute", "%(n)d Minuten", minutes) % {"n": minutes}
        if minutes < 48 * 60:
            hours = minutes // 60
            return ngettext("%(n)d Stunde", "%(n)d Stunden", hours) % {"n": hours}
        days = minutes // (24 * 60)
        return ngettext("%(n)d Tag", "%(n)d Tage", days) % {"n": days}


def data_status(*, as_of: dt.datetime | None, is_sample: bool, now=None) -> DataStatus:
    now = now or timezone.now()
    if as_of is None:
        return DataStatus(None, False, is_sample, None)
    age = max(0, int((now - as_of).total_seconds() // 60))
    return DataStatus(
        as_of=as_of,
        is_stale=age >= settings.MARKETS_STALE_AFTER_MINUTES,
        is_sample=is_sample,
        age_minutes=age,
    )


def market_status(*, now=None) -> DataStatus:
    """Freshness of the market table: the time the newest stored snapshot describes."""
    newest = (
        MarketSnapshot.objects.filter(coin__rank__isnull=False)
        .annotate(as_of=Coalesce("last_updated", "fetched_at"))
        .order_by("-as_of")
        .values_list("as_of", "is_sample")
        .first()
    )
    if newest is None:
        return data_status(as_of=None, is_sample=False, now=now)
    return data_status(as_of=newest[0], is_sample=newest[1], now=now)


def snapshot_status(*, snapshot: MarketSnapshot | None, now=None) -> DataStatus:
    """ "Stand" is the time the figures describe (the source's last update), not the time
    Kryptowelt fetched them: a quote the source last changed days ago is old data."""
    if snapshot is None:
        return data_status(as_of=None, is_sample=False, now=now)
    as_of = snapshot.last_updated or snapshot.fetched_at
    return data_status(as_of=as_of, is_sample=snapshot.is_sample, now=now)


# How far a chart range may end before now without a warning (the newest point of a daily
# series is a day's close; intraday series are renewed with every sync).
CHART_END_TOLERANCE = {
    "24h": dt.timedelta(hours=3),
    "7t": dt.timedelta(hours=12),
    "1m": dt.timedelta(days=2),
    "1j": dt.timedelta(days=3),
    "max": dt.timedelta(days=3),
}


def chart_end_lag(*, ends_at: dt.datetime | None, range_key: str, now=None) -> bool:
    """Whether a chart ends well before now, so the page must say where it ends."""
    if ends_at is None:
        return False
    now = now or timezone.now()
    return now - ends_at > CHART_END_TOLERANCE.get(range_key, dt.timedelta(days=1))


def coin_key_figures(*, snapshot: MarketSnapshot | None, chart_stats: dict | None, price):
    """All-time high and low as shown beside the chart: a chart never shows a price above
    the all-time high or below the all-time low (the source's figures can be older than the
    stored history), so the chart's extreme replaces the source's where it goes beyond."""
    if snapshot is None:
        return None
    ath, ath_date, ath_change = snapshot.ath, snapshot.ath_date, snapshot.ath_change_percentage
    atl, atl_date = snapshot.atl, snapshot.atl_date
    if chart_stats:
        if ath is None or chart_stats["high"] > ath:
            ath, ath_date = chart_stats["high"], chart_stats["high_at"]
            ath_change = (price / ath - 1) * 100 if price and ath else None
        if atl is not None and chart_stats["low"] < atl:
            atl, atl_date = chart_stats["low"], chart_stats["low_at"]
    return {
        "ath": ath,
        "ath_date": ath_date,
        "ath_change_percentage": ath_change,
        "atl": atl,
        "atl_date": atl_date,
    }


def history_status(*, coin: Coin, now=None) -> DataStatus:
    """Freshness of a coin known only from its history (e.g. imported from CSV)."""
    newest = (
        PricePoint.objects.filter(coin=coin)
        .order_by("-timestamp")
        .values_list("timestamp", "source")
        .first()
    )
    if newest is None:
        return data_status(as_of=None, is_sample=False, now=now)
    return data_status(as_of=newest[0], is_sample=newest[1] == PricePoint.SOURCE_SAMPLE, now=now)


def sync_states() -> dict[str, SyncState]:
    return {state.kind: state for state in SyncState.objects.all()}


def coin_get(*, coin_id: str) -> Coin | None:
    return Coin.objects.filter(coingecko_id=coin_id).select_related("snapshot").first()


def coin_snapshot(coin: Coin) -> MarketSnapshot | None:
    try:
        return coin.snapshot
    except MarketSnapshot.DoesNotExist:
        return None


def coin_block_data(*, coin_id: str) -> dict | None:
    """What the "Kurs" block in an article shows for a coin; None if we know nothing of it."""
    coin = coin_get(coin_id=coin_id)
    if coin is None:
        return None
    snapshot = coin_snapshot(coin)
    if snapshot is None:
        return None
    return {
        "coin": coin,
        "snapshot": snapshot,
        "status": snapshot_status(snapshot=snapshot),
        "sparkline": sparkline_svg(
            snapshot.sparkline_7d or [],
            width=240,
            height=56,
            label=f"Kursverlauf {coin.name}, 7 Tage",
            up=None if snapshot.change_7d is None else snapshot.change_7d >= 0,
        ),
    }


def coin_select_choices() -> list[tuple[str, str]]:
    """Choices for editors picking a coin (the "Kurs" block): every coin we have data for."""
    return [
        (coin.coingecko_id, f"{coin.name} ({coin.symbol_display})" if coin.symbol else coin.name)
        for coin in Coin.objects.filter(snapshot__isnull=False).order_by(
            F("rank").asc(nulls_last=True), "name"
        )
    ]
