"""Reads of price series: the daily closes other apps (calculators) build on, and the
chart of a coin page per range with its statistics. Nothing here calls CoinGecko."""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField
from django.db.models.functions import Cast, Substr

from kryptowelt.charts.downsample import evenly_spaced
from kryptowelt.charts.series import series_stats
from kryptowelt.core import formatting
from kryptowelt.markets import charts
from kryptowelt.markets.models import Coin, FxRate, MarketSnapshot, PricePoint
from kryptowelt.markets.selectors.quotes import coin_snapshot
from kryptowelt.markets.services.state import markets_generation

CONVERTED_PLACES = Decimal("1e-12")

# (URL value, label, days; None = all)
CHART_RANGES = [
    ("24h", "24 h", 1),
    ("7t", "7 T", 7),
    ("1m", "1 M", 30),
    ("1j", "1 J", 365),
    ("max", "Max", None),
]
CHART_RANGE_NAMES = {
    "24h": "24 Stunden",
    "7t": "7 Tage",
    "1m": "1 Monat",
    "1j": "1 Jahr",
    "max": "gesamter Zeitraum",
}
DEFAULT_RANGE = "7t"


# --- daily series -------------------------------------------------------------------------


def _fx_table() -> tuple[list[dt.date], list[Decimal]]:
    rows = list(FxRate.objects.order_by("date").values_list("date", "usd_per_eur"))
    return [r[0] for r in rows], [r[1] for r in rows]


def _daily_closes(coin_pk: int, currency: str) -> list[tuple[str, Decimal]]:
    """(ISO day, close) ascending; see daily_close_series. Days stay ISO strings here: the
    database hands out the UTC day as text, which is far cheaper than building datetimes
    for thousands of rows (coin pages draw 10 years of history on demand)."""
    day_text = Substr(Cast("timestamp", output_field=CharField()), 1, 10)
    rows = (
        PricePoint.objects.filter(coin_id=coin_pk)
        .order_by("timestamp")
        .values_list("currency", day_text, Cast("price", output_field=CharField()))
    )
    series: dict[str, dict[str, str]] = {"eur": {}, "usd": {}}
    for row_currency, day, price in rows:
        series.setdefault(row_currency, {})[day] = price  # ordered: the last one wins
    wanted = {day: Decimal(price) for day, price in series.get(currency, {}).items()}
    other_currency = "usd" if currency == "eur" else "eur"
    other = [
        (day, price) for day, price in series.get(other_currency, {}).items() if day not in wanted
    ]
    if other:
        dates, rates = _fx_table()
        for day, price in other:
            index = bisect.bisect_right(dates, dt.date.fromisoformat(day)) - 1
            if index < 0:
                continue  # no rate on or before this day
            rate = rates[index]
            value = Decimal(price)
            converted = value / rate if currency == "eur" else value * rate
            wanted[day] = converted.quantize(CONVERTED_PLACES).normalize()
    return sorted(wanted.items())


def daily_close_series(*, coin_id: str, currency: str = "eur") -> list[tuple[dt.date, Decimal]]:
    """One close per UTC day, ascending, from the stored history of `coin_id`.

    The close of a day is the last price stored within it (imported daily closes are stored
    at 00:00 UTC of their day; CoinGecko's daily points at 00:00 UTC, intraday prices at
    their time). Days with a price in `currency` use it; other days are converted from the
    other currency with the ECB rate of that day or, if there is none (weekends, holidays),
    the most recent earlier rate. Days before the first known rate cannot be converted and
    are left out."""
    currency = currency.lower()
    if currency not in {"eur", "usd"}:
        raise ValueError("currency must be 'eur' or 'usd'")
    coin = Coin.objects.filter(coingecko_id=coin_id).values_list("pk", flat=True).first()
    if coin is None:
        return []
    return [(dt.date.fromisoformat(day), price) for day, price in _daily_closes(coin, currency)]


# --- charts ---------------------------------------------------------------------------------


def _epoch(value: dt.datetime) -> float:
    return value.timestamp()


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _day_start(day: str) -> float:
    """Epoch seconds of 00:00 UTC of an ISO day."""
    return float((dt.date.fromisoformat(day).toordinal() - _EPOCH_ORDINAL) * 86400)


def _sparkline_points(snapshot: MarketSnapshot, hours: int) -> list[tuple[float, float]]:
    """CoinGecko's 7-day sparkline holds hourly prices ending at the snapshot's time."""
    values = [float(v) for v in (snapshot.sparkline_7d or [])]
    if len(values) < 2:
        return []
    end = snapshot.last_updated or snapshot.fetched_at
    step = 7 * 24 * 3600 / max(len(values) - 1, 1)
    start = _epoch(end) - step * (len(values) - 1)
    points = [(start + i * step, v) for i, v in enumerate(values)]
    cutoff = _epoch(end) - hours * 3600
    points = [p for p in points if p[0] >= cutoff - 1]
    points.append((_epoch(end), float(snapshot.price)))
    return points


def coin_chart_series(*, coin: Coin, range_key: str) -> list[tuple[float, float]]:
    """(epoch seconds, price in €) for the chart range; the range ends at the newest data
    (so a chart still shows something sensible when the data has become old)."""
    days = {key: d for key, _, d in CHART_RANGES}.get(range_key, 7)
    snapshot = coin_snapshot(coin)
    if range_key in {"1j", "max"}:
        points = [(_day_start(day), float(price)) for day, price in _daily_closes(coin.pk, "eur")]
        if snapshot is not None and points:
            latest = _epoch(snapshot.last_updated or snapshot.fetched_at)
            if latest > points[-1][0]:
                points.append((latest, float(snapshot.price)))
        if days and points:
            cutoff = points[-1][0] - days * 86400
            points = [p for p in points if p[0] >= cutoff]
        return points
    newest = (
        PricePoint.objects.filter(coin=coin, currency="eur")
        .order_by("-timestamp")
        .values_list("timestamp", flat=True)
        .first()
    )
    points: list[tuple[float, float]] = []
    if newest is not None:
        since = newest - dt.timedelta(days=days)
        points = [
            (_epoch(t), float(p))
            for t, p in PricePoint.objects.filter(coin=coin, currency="eur", timestamp__gte=since)
            .order_by("timestamp")
            .values_list("timestamp", "price")
        ]
    wanted = {"24h": 12, "7t": 48, "1m": 20}.get(range_key, 2)
    if len(points) < wanted and snapshot is not None and range_key in {"24h", "7t"}:
        sparkline = _sparkline_points(snapshot, days * 24)
        if len(sparkline) > len(points):
            points = sparkline
    if len(points) < wanted and range_key == "1m":
        daily = [(_day_start(d), float(p)) for d, p in _daily_closes(coin.pk, "eur")]
        if daily:
            cutoff = daily[-1][0] - 30 * 86400
            daily = [p for p in daily if p[0] >= cutoff]
            if len(daily) > len(points):
                points = daily
    return points


def _format_point_time(epoch: float, tz: ZoneInfo, with_time: bool) -> str:
    moment = dt.datetime.fromtimestamp(epoch, tz)
    if with_time:
        return formatting.format_datetime_short(moment)
    return formatting.format_date_short(moment)


def coin_chart(*, coin: Coin, range_key: str) -> dict:
    """SVG chart, statistics and a small data table for one range (cached until the next
    sync changes the data)."""
    if range_key not in CHART_RANGE_NAMES:
        range_key = DEFAULT_RANGE
    key = f"kw:markets:chart:{markets_generation()}:{coin.pk}:{range_key}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    tz = ZoneInfo(settings.TIME_ZONE)
    points = coin_chart_series(coin=coin, range_key=range_key)
    stats = series_stats(points)
    with_time = range_key in {"24h", "7t", "1m"}
    result = {
        "range": range_key,
        "svg": "",
        "stats": None,
        "table": [],
        "points": len(points),
        "ends_at": dt.datetime.fromtimestamp(points[-1][0], tz) if points else None,
    }
    if stats is not None and len(points) >= 2:
        name = CHART_RANGE_NAMES[range_key]
        description = (
            f"Von {formatting.format_price(Decimal(repr(stats.first)))} auf "
            f"{formatting.format_price(Decimal(repr(stats.last)))}"
            + (
                f" ({formatting.format_percent(Decimal(repr(stats.change_percent)), sign=True)})"
                if stats.change_percent is not None
                else ""
            )
            + f". Höchster Kurs {formatting.format_price(Decimal(repr(stats.high)))} am "
            f"{_format_point_time(stats.high_at, tz, with_time)}, tiefster Kurs "
            f"{formatting.format_price(Decimal(repr(stats.low)))} am "
            f"{_format_point_time(stats.low_at, tz, with_time)}."
        )
        result["svg"] = charts.price_chart_svg(
            points,
            dom_id=f"chart-{coin.coingecko_id.replace('.', '-')}-{range_key}",
            title=f"Kursverlauf {coin.name} in Euro, {name}",
            description=description,
            tz=tz,
        )
        result["description"] = description
        result["stats"] = {
            "first": Decimal(repr(stats.first)),
            "last": Decimal(repr(stats.last)),
            "high": Decimal(repr(stats.high)),
            "low": Decimal(repr(stats.low)),
            "high_at": dt.datetime.fromtimestamp(stats.high_at, tz),
            "low_at": dt.datetime.fromtimestamp(stats.low_at, tz),
            "change": Decimal(repr(stats.change_percent))
            if stats.change_percent is not None
            else None,
        }
        result["table"] = [
            (_format_point_time(t, tz, with_time), Decimal(repr(v)))
            for t, v in evenly_spaced(points, 12)
        ]
    cache.set(key, result, 3600)
    return result
