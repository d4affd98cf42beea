"""Reads of the markets app: tables, coin pages, charts, movers, trending topics, and the
daily price series other apps (calculators) build on. Nothing here calls CoinGecko."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, F, Max, Min
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from kryptowelt.charts.downsample import evenly_spaced
from kryptowelt.charts.series import series_stats
from kryptowelt.charts.sparkline import sparkline_svg
from kryptowelt.core import formatting
from kryptowelt.markets import charts
from kryptowelt.markets.models import (
    Coin,
    CoinMention,
    FxRate,
    MarketSnapshot,
    PricePoint,
    SyncState,
    TrendingCoin,
)
from kryptowelt.markets.services import markets_generation

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

TABLE_SORTS = {
    "rang": "coin__rank",
    "name": "coin__name",
    "preis": "price",
    "1h": "change_1h",
    "24h": "change_24h",
    "7t": "change_7d",
    "marktkap": "market_cap",
    "volumen": "total_volume",
}
TABLE_PAGE_SIZE = 100


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
        minutes = self.age_minutes or 0
        if minutes < 120:
            return f"{minutes} Minuten"
        if minutes < 48 * 60:
            return f"{minutes // 60} Stunden"
        return f"{minutes // (24 * 60)} Tagen"


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
    """Freshness of the market table: the time of the newest stored snapshot."""
    newest = (
        MarketSnapshot.objects.filter(coin__rank__isnull=False)
        .order_by("-fetched_at")
        .values_list("fetched_at", "is_sample")
        .first()
    )
    if newest is None:
        return data_status(as_of=None, is_sample=False, now=now)
    return data_status(as_of=newest[0], is_sample=newest[1], now=now)


def snapshot_status(*, snapshot: MarketSnapshot | None, now=None) -> DataStatus:
    if snapshot is None:
        return data_status(as_of=None, is_sample=False, now=now)
    return data_status(as_of=snapshot.fetched_at, is_sample=snapshot.is_sample, now=now)


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


# --- the table ------------------------------------------------------------------------------


def market_table(*, sort: str = "rang", direction: str = "auf"):
    """Snapshots of the ranked coins (the last sync's top list), sorted; nulls last."""
    field = TABLE_SORTS.get(sort, TABLE_SORTS["rang"])
    expression = (
        F(field).desc(nulls_last=True) if direction == "ab" else F(field).asc(nulls_last=True)
    )
    return (
        MarketSnapshot.objects.filter(coin__rank__isnull=False)
        .select_related("coin")
        .defer("sparkline_7d")
        .order_by(expression, "coin__rank")
    )


# --- coins ----------------------------------------------------------------------------------


def coin_get(*, coin_id: str) -> Coin | None:
    return Coin.objects.filter(coingecko_id=coin_id).select_related("snapshot").first()


def coin_snapshot(coin: Coin) -> MarketSnapshot | None:
    try:
        return coin.snapshot
    except MarketSnapshot.DoesNotExist:
        return None


def coin_has_history(*, coin: Coin) -> bool:
    return PricePoint.objects.filter(coin=coin).exists()


def coin_articles(*, coin: Coin, limit: int = 6):
    from kryptowelt.news.selectors import article_list

    return list(article_list().filter(coin_mentions__coin=coin)[:limit])


def article_coin_chips(*, article, limit: int = 4) -> list[dict]:
    """The coins an article names most, with their latest price, for chips by the headline.

    Published articles use the stored mentions; an unsaved one (editor's preview of a new
    article) is scanned on the fly."""
    if article.pk is None:
        from kryptowelt.markets.services import article_mention_counts

        counts = article_mention_counts(article=article)
        coins = (
            Coin.objects.filter(coingecko_id__in=counts, snapshot__isnull=False)
            .select_related("snapshot")
            .order_by(F("rank").asc(nulls_last=True))
        )
        ranked = sorted(coins, key=lambda c: -counts[c.coingecko_id])[:limit]
        return [{"coin": coin, "snapshot": coin.snapshot} for coin in ranked]
    mentions = (
        CoinMention.objects.filter(article=article, coin__snapshot__isnull=False)
        .select_related("coin", "coin__snapshot")
        .order_by("-count", F("coin__rank").asc(nulls_last=True))[:limit]
    )
    return [{"coin": m.coin, "snapshot": m.coin.snapshot} for m in mentions]


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


def coin_choices() -> list[tuple[str, str]]:
    """(CoinGecko id, name) of every coin with a price history, best ranked first."""
    key = f"kw:markets:choices:{markets_generation()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    spans = PricePoint.objects.values("coin_id").annotate(
        first=Min("timestamp"), last=Max("timestamp")
    )
    daily_sources = set(
        PricePoint.objects.exclude(source=PricePoint.SOURCE_SYNC)
        .values_list("coin_id", flat=True)
        .distinct()
    )
    with_history = {
        row["coin_id"]
        for row in spans
        if row["coin_id"] in daily_sources or row["last"] - row["first"] >= dt.timedelta(days=1)
    }
    choices = [
        (coin_id, name)
        for coin_id, name in Coin.objects.filter(pk__in=with_history)
        .order_by(F("rank").asc(nulls_last=True), "name")
        .values_list("coingecko_id", "name")
    ]
    cache.set(key, choices, 3600)
    return choices


def coin_select_choices() -> list[tuple[str, str]]:
    """Choices for editors picking a coin (the "Kurs" block): every coin we have data for."""
    return [
        (coin.coingecko_id, f"{coin.name} ({coin.symbol_display})" if coin.symbol else coin.name)
        for coin in Coin.objects.filter(snapshot__isnull=False).order_by(
            F("rank").asc(nulls_last=True), "name"
        )
    ]


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
    result = {"range": range_key, "svg": "", "stats": None, "table": [], "points": len(points)}
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


# --- movers and trends ---------------------------------------------------------------------


def market_movers(*, limit: int = 5) -> dict:
    """Top gainers and losers over 24 hours among the ranked coins with trading volume."""
    base = MarketSnapshot.objects.filter(
        coin__rank__isnull=False, change_24h__isnull=False, total_volume__gt=0
    ).select_related("coin")
    return {
        # Changes that round to 0,0 % are neither gains nor losses.
        "gainers": list(base.filter(change_24h__gte=0.05).order_by("-change_24h")[:limit]),
        "losers": list(base.filter(change_24h__lte=-0.05).order_by("change_24h")[:limit]),
    }


def trending_coins(*, limit: int = 7) -> list[dict]:
    items = list(TrendingCoin.objects.all()[:limit])
    known = dict(
        Coin.objects.filter(
            coingecko_id__in=[i.coingecko_id for i in items], snapshot__isnull=False
        ).values_list("coingecko_id", "pk")
    )
    return [{"item": item, "has_page": item.coingecko_id in known} for item in items]


@dataclass(frozen=True)
class Topic:
    kind: str  # "tag" or "coin"
    name: str
    url: str
    recent: int
    baseline: int
    recent_per_week: float
    baseline_per_week: float


def trending_topics(*, now: dt.datetime | None = None, limit: int = 8) -> list[Topic]:
    """Tags and coins whose share of our articles rose most in the last 7 days against the
    30 days before (see trendmath)."""
    from django.urls import reverse

    from kryptowelt.markets.trendmath import topic_trends
    from kryptowelt.news.models import ArticlePage, ArticleTag
    from kryptowelt.news.models import Topic as Tag

    now = now or timezone.now()
    cache_key = f"kw:markets:topics:{now:%Y%m%d%H}:{now.minute // 10}:{limit}"
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    recent_start = now - dt.timedelta(days=7)
    baseline_start = recent_start - dt.timedelta(days=30)
    articles = (
        ArticlePage.objects.live()
        .public()
        .filter(first_published_at__gte=baseline_start, first_published_at__lt=now)
    )
    recent: Counter = Counter()
    baseline: Counter = Counter()
    for tag_id, published in ArticleTag.objects.filter(content_object__in=articles).values_list(
        "tag_id", "content_object__first_published_at"
    ):
        (recent if published >= recent_start else baseline)[("tag", tag_id)] += 1
    for coin_id, published in CoinMention.objects.filter(article__in=articles).values_list(
        "coin_id", "article__first_published_at"
    ):
        (recent if published >= recent_start else baseline)[("coin", coin_id)] += 1
    trends = topic_trends(recent=recent, baseline=baseline, limit=limit * 2)
    tags = Tag.objects.in_bulk([key[1] for key in (t.key for t in trends) if key[0] == "tag"])
    coins = Coin.objects.in_bulk([key[1] for key in (t.key for t in trends) if key[0] == "coin"])
    topics: list[Topic] = []
    seen: set[str] = set()
    for trend in trends:
        kind, pk = trend.key
        if kind == "tag" and pk in tags:
            name, url = tags[pk].name, reverse("news:tag", kwargs={"slug": tags[pk].slug})
        elif kind == "coin" and pk in coins:
            name, url = coins[pk].name, coins[pk].get_absolute_url()
        else:
            continue
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        topics.append(
            Topic(
                kind=kind,
                name=name,
                url=url,
                recent=trend.recent,
                baseline=trend.baseline,
                recent_per_week=trend.recent_per_week,
                baseline_per_week=trend.baseline_per_week,
            )
        )
        if len(topics) == limit:
            break
    cache.set(cache_key, topics, 600)
    return topics


def trends_head() -> dict:
    """Everything the market head of /trends/ shows."""
    movers = market_movers()
    status = market_status()
    return {
        "gainers": movers["gainers"],
        "losers": movers["losers"],
        "topics": trending_topics(),
        "trending_coins": trending_coins(),
        "status": status,
    }
