"""Writes of the markets app: CoinGecko syncs, CSV imports, logos, mentions, sample data.

Every sync is safe to repeat and safe to fail: data is validated before it is written, one
sync writes in one transaction, history rows are only ever inserted (one per coin, currency
and timestamp), and a failure leaves the last stored data in place and is recorded in
`SyncState` so pages can say how old their figures are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kryptowelt.charts.sparkline import sparkline_svg
from kryptowelt.markets import coingecko, logos
from kryptowelt.markets.models import (
    MONEY,
    PERCENT,
    PRICE,
    SUPPLY,
    Coin,
    CoinMention,
    FxRate,
    MarketSnapshot,
    PricePoint,
    SyncState,
    TrendingCoin,
)

logger = logging.getLogger("kryptowelt.markets")

GENERATION_KEY = "kw:markets:generation"
MATCHER_KEY = "kw:markets:matcher"
LOGO_GENERATED = "generated"

# Well-known coins, for imports of coins the database does not know yet.
KNOWN_COINS = {
    "bitcoin": ("Bitcoin", "btc"),
    "ethereum": ("Ethereum", "eth"),
    "ripple": ("XRP", "xrp"),
    "binancecoin": ("BNB", "bnb"),
    "solana": ("Solana", "sol"),
    "dogecoin": ("Dogecoin", "doge"),
    "cardano": ("Cardano", "ada"),
    "avalanche-2": ("Avalanche", "avax"),
    "tether": ("Tether", "usdt"),
    "usd-coin": ("USDC", "usdc"),
}


# --- helpers --------------------------------------------------------------------------------


def _quantize(value: Decimal | None, spec: dict) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-spec["decimal_places"]), rounding=ROUND_HALF_UP)


def markets_generation() -> int:
    """A number that changes after every write, for cache keys of charts and tables."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = int(time.time() * 1000)
        cache.set(GENERATION_KEY, value, None)
    return value


def markets_generation_bump() -> None:
    from kryptowelt.core.http_cache import content_changed

    cache.set(GENERATION_KEY, int(time.time() * 1000), None)
    cache.delete(MATCHER_KEY)
    # Prices appear in cached pages and article fragments too (chips, price blocks).
    content_changed()


def _state(kind: str) -> SyncState:
    state, _ = SyncState.objects.get_or_create(kind=kind)
    return state


def sync_blocked_until(*, kind: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """The time before which CoinGecko asked us (HTTP 429) not to call again, if any."""
    now = now or timezone.now()
    until = SyncState.objects.filter(kind=kind).values_list("retry_not_before", flat=True).first()
    return until if until and until > now else None


def _record_failure(kind: str, error: Exception) -> None:
    now = timezone.now()
    retry_not_before = None
    if isinstance(error, coingecko.CoinGeckoRateLimited) and error.retry_after:
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


def _record_success(kind: str, *, when: dt.datetime, note: str = "") -> None:
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
    logos: int = 0
    skipped: list[str] = field(default_factory=list)
    error: str = ""


# --- history rows -------------------------------------------------------------------------


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
            price=_quantize(price, PRICE),
            market_cap=_quantize(market_cap, MONEY),
            volume=_quantize(volume, MONEY),
            source=source,
        )
        for timestamp, (price, market_cap, volume) in sorted(rows.items())
        if timestamp not in existing
    ]
    PricePoint.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


def sample_data_remove() -> None:
    """Drop every generated sample price once real data has arrived."""
    if not Coin.objects.filter(is_sample=True).exists():
        return
    PricePoint.objects.filter(source=PricePoint.SOURCE_SAMPLE).delete()
    MarketSnapshot.objects.filter(is_sample=True).delete()
    Coin.objects.filter(is_sample=True).update(is_sample=False, rank=None)


# --- markets ------------------------------------------------------------------------------


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
    from kryptowelt.core import formatting

    label = ""
    if change_7d is not None:
        label = f"Verlauf 7 Tage: {formatting.format_percent(change_7d, sign=True)}"
    up = None if change_7d is None else change_7d >= 0
    return sparkline_svg(values, label=label, up=up)


@transaction.atomic
def market_entries_store(
    *, entries: list[coingecko.MarketEntry], fetched_at: dt.datetime, is_sample: bool = False
) -> tuple[int, int, set[str]]:
    """Upsert coins and snapshots and append one history point per coin.

    Returns (points added, new coins, ids of coins whose logo should be fetched)."""
    if not is_sample:
        sample_data_remove()
    ids = [entry.id for entry in entries]
    known = dict(Coin.objects.filter(coingecko_id__in=ids).values_list("coingecko_id", "pk"))
    Coin.objects.bulk_create(
        [
            Coin(
                coingecko_id=entry.id,
                symbol=entry.symbol,
                name=entry.name,
                rank=entry.rank,
                is_sample=is_sample,
            )
            for entry in entries
        ],
        update_conflicts=True,
        unique_fields=["coingecko_id"],
        update_fields=["symbol", "name", "rank", "is_sample", "updated_at"],
        batch_size=500,
    )
    coins = {coin.coingecko_id: coin for coin in Coin.objects.filter(coingecko_id__in=ids)}
    # Coins that fell out of the list keep their page, but no longer a rank in the table.
    Coin.objects.exclude(coingecko_id__in=ids).filter(rank__isnull=False).update(rank=None)

    snapshots = []
    for entry in entries:
        values = {
            name: _quantize(getattr(entry, name), spec) for name, spec in SNAPSHOT_FIELDS.items()
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
                price=_quantize(entry.price, PRICE),
                market_cap=_quantize(entry.market_cap, MONEY),
                volume=_quantize(entry.total_volume, MONEY),
                source=source,
            )
            for pk, entry in candidates
            if (pk, entry.last_updated) not in existing
        ]
        PricePoint.objects.bulk_create(new_points, batch_size=500, ignore_conflicts=True)
        added = len(new_points)

    wanting_logo = {
        entry.id
        for entry in entries
        if entry.image_url and coins[entry.id].logo_source_url != entry.image_url
    } | {entry.id for entry in entries if not coins[entry.id].logo}
    return added, len(ids) - len(known), wanting_logo


def coin_markets_sync(
    *,
    client: coingecko.CoinGeckoClient | None = None,
    pages: int = 1,
    logo_budget_seconds: float = 60.0,
    progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    """Fetch the top coins in EUR and store them; on failure keep the last data."""
    report = SyncReport(kind=SyncState.MARKETS)
    blocked = sync_blocked_until(kind=SyncState.MARKETS)
    if blocked:
        report.error = f"CoinGecko hat um eine Pause bis {blocked:%H:%M:%S} UTC gebeten."
        return report
    own_client = client is None
    client = client or coingecko.CoinGeckoClient.from_settings()
    try:
        entries: list[coingecko.MarketEntry] = []
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
            raise coingecko.CoinGeckoBadPayload("/coins/markets: keine gültigen Einträge")
        fetched_at = timezone.now()
        added, new_coins, wanting_logo = market_entries_store(
            entries=entries, fetched_at=fetched_at
        )
        report.ok, report.stored, report.points_added, report.new_coins = (
            True,
            len(entries),
            added,
            new_coins,
        )
        _record_success(
            SyncState.MARKETS,
            when=fetched_at,
            note=f"{len(report.skipped)} Einträge übersprungen" if report.skipped else "",
        )
        markets_generation_bump()
        if new_coins:
            coin_mentions_refresh()
        report.logos = coin_logos_sync(
            client=client,
            coin_ids=wanting_logo,
            image_urls={entry.id: entry.image_url for entry in entries},
            budget_seconds=logo_budget_seconds,
        )
    except coingecko.CoinGeckoError as exc:
        _record_failure(SyncState.MARKETS, exc)
        report.error = str(exc)
    finally:
        if own_client:
            client.close()
    return report


def coin_logo_store(*, coin: Coin, data: bytes, source_url: str) -> None:
    name = f"{coin.coingecko_id.replace('.', '-')}.png"  # upload_to adds coins/
    if coin.logo:
        coin.logo.delete(save=False)
    storage, path = coin.logo.storage, f"coins/{name}"
    if storage.exists(path):  # our own file name: replace, never pile up variants
        storage.delete(path)
    coin.logo.save(name, ContentFile(data), save=False)
    coin.logo_source_url = source_url
    Coin.objects.filter(pk=coin.pk).update(logo=coin.logo.name, logo_source_url=source_url)


def coin_logos_sync(
    *,
    client: coingecko.CoinGeckoClient,
    coin_ids: Iterable[str],
    image_urls: dict[str, str],
    budget_seconds: float = 60.0,
) -> int:
    """Download missing or changed logos (within a time budget; the rest next time) and
    draw a badge for coins that have none, so pages never link to CoinGecko's images."""
    started = time.monotonic()
    done = 0
    coins = Coin.objects.filter(coingecko_id__in=list(coin_ids)).order_by("rank", "coingecko_id")
    for coin in coins:
        url = image_urls.get(coin.coingecko_id, "")
        data = None
        if url and time.monotonic() - started < budget_seconds:
            raw = client.image_fetch(url=url)
            if raw is not None:
                try:
                    data = logos.logo_normalise(raw)
                except logos.LogoError as exc:
                    logger.info("Logo von %s verworfen: %s", coin.coingecko_id, exc)
        if data is not None:
            coin_logo_store(coin=coin, data=data, source_url=url)
            done += 1
        elif not coin.logo:
            coin_logo_store(
                coin=coin,
                data=logos.logo_generate(symbol=coin.symbol, seed=coin.coingecko_id),
                source_url=LOGO_GENERATED,
            )
    return done


# --- history ------------------------------------------------------------------------------


def coin_history_sync(
    *,
    client: coingecko.CoinGeckoClient | None = None,
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
    client = client or coingecko.CoinGeckoClient.from_settings()
    try:
        for index, coin in enumerate(coins, start=1):
            try:
                result = client.coin_market_chart(
                    coin_id=coin.coingecko_id, vs_currency="eur", days=days
                )
            except (coingecko.CoinGeckoBadPayload, coingecko.CoinGeckoClientError) as exc:
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
        _record_success(SyncState.HISTORY, when=timezone.now())
    except coingecko.CoinGeckoError as exc:
        _record_failure(SyncState.HISTORY, exc)
        report.error = str(exc)
    finally:
        if own_client:
            client.close()
        if report.points_added:
            markets_generation_bump()
    return report


def trending_sync(*, client: coingecko.CoinGeckoClient | None = None) -> SyncReport:
    """CoinGecko's most searched coins; the list is replaced only by a valid new one."""
    report = SyncReport(kind=SyncState.TRENDING)
    if sync_blocked_until(kind=SyncState.MARKETS):
        report.error = "CoinGecko hat um eine Pause gebeten."
        return report
    own_client = client is None
    client = client or coingecko.CoinGeckoClient.from_settings()
    try:
        result = client.search_trending()
        if not result.items:
            raise coingecko.CoinGeckoBadPayload("/search/trending: keine gültigen Einträge")
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
        _record_success(SyncState.TRENDING, when=now)
        markets_generation_bump()
    except coingecko.CoinGeckoError as exc:
        _record_failure(SyncState.TRENDING, exc)
        report.error = str(exc)
    finally:
        if own_client:
            client.close()
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


# --- mentions -------------------------------------------------------------------------------


def _matcher():
    from kryptowelt.markets.mentions import CoinName, MentionMatcher

    matcher = cache.get(MATCHER_KEY)
    if matcher is None:
        matcher = MentionMatcher(
            CoinName(coin_id=c, name=n, symbol=s, rank=r)
            for c, n, s, r in Coin.objects.values_list("coingecko_id", "name", "symbol", "rank")
        )
        cache.set(MATCHER_KEY, matcher, 3600)
    return matcher


def article_mention_counts(*, article) -> dict[str, int]:
    """How often `article` (saved or not) names each known coin."""
    tags = " ".join(tag.name for tag in article.tags.all())
    return dict(_matcher().count(f"{article.title}\n{article.plain_text}\n{tags}"))


def article_mentions_update(*, article) -> dict[str, int]:
    """Store which coins `article` names (replacing what was stored for it)."""
    counts = article_mention_counts(article=article)
    coins = dict(Coin.objects.filter(coingecko_id__in=counts).values_list("coingecko_id", "pk"))
    with transaction.atomic():
        CoinMention.objects.filter(article=article).delete()
        CoinMention.objects.bulk_create(
            [
                CoinMention(coin_id=coins[coin_id], article=article, count=count)
                for coin_id, count in counts.items()
                if coin_id in coins
            ]
        )
    return counts


def coin_mentions_refresh() -> int:
    """Re-detect coin mentions in every published article (after new coins arrived)."""
    from kryptowelt.news.models import ArticlePage

    cache.delete(MATCHER_KEY)
    total = 0
    for article in ArticlePage.objects.live().prefetch_related("tags").iterator(chunk_size=200):
        total += len(article_mentions_update(article=article))
    return total


# --- CSV imports ----------------------------------------------------------------------------


@dataclass
class ImportReport:
    added: int = 0
    existing: int = 0
    errors: list[str] = field(default_factory=list)


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (missing columns, unreadable)."""


def _read_csv(path: Path | str | io.TextIOBase):
    if isinstance(path, io.TextIOBase):
        return path.read()
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("Die Datei ist nicht in UTF-8 kodiert.") from exc


def _csv_rows(text: str, required: set[str]):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = {name.strip().lower() for name in (reader.fieldnames or []) if name}
    missing = required - header
    if missing:
        raise ImportFileError(
            f"Spalten fehlen: {', '.join(sorted(missing))} (gefunden: {', '.join(sorted(header)) or 'keine'})"
        )
    for row in reader:
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if None in row:
            clean["__extra__"] = "x"
        yield reader.line_num, clean


def _positive_decimal(text: str, label: str, *, allow_zero: bool = False) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"{label} „{text[:30]}“ ist keine Zahl") from exc
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{label} „{text[:30]}“ ist nicht positiv")
    if value > coingecko.MAX_PRICE * 1000:
        raise ValueError(f"{label} „{text[:30]}“ ist unplausibel groß")
    return value


def _parse_date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"Datum „{text[:30]}“ ist nicht im Format JJJJ-MM-TT") from exc


def coin_get_or_create(*, coin_id: str, name: str = "", symbol: str = "") -> Coin:
    if not coingecko.COIN_ID_RE.match(coin_id):
        raise ImportFileError(f"„{coin_id}“ ist keine gültige CoinGecko-ID (z. B. bitcoin).")
    coin = Coin.objects.filter(coingecko_id=coin_id).first()
    if coin is None:
        known_name, known_symbol = KNOWN_COINS.get(coin_id, ("", ""))
        coin = Coin.objects.create(
            coingecko_id=coin_id,
            name=name or known_name or coin_id.replace("-", " ").title(),
            symbol=(symbol or known_symbol).lower(),
        )
        coin_logo_store(
            coin=coin,
            data=logos.logo_generate(symbol=coin.symbol, seed=coin.coingecko_id),
            source_url=LOGO_GENERATED,
        )
        cache.delete(MATCHER_KEY)
    return coin


def price_history_import(
    *, source, coin_id: str, currency: str, name: str = "", symbol: str = ""
) -> ImportReport:
    """Load daily closes from CSV (`date,open,high,low,close,volume`; only `date` and
    `close` are needed). Each close is stored at 00:00 UTC of its day. Bad rows are reported
    with their line number and skipped; good rows are imported in one transaction."""
    currency = currency.lower()
    if currency not in {"eur", "usd"}:
        raise ImportFileError("Währung muss eur oder usd sein.")
    text = _read_csv(source)
    report = ImportReport()
    points: list[tuple] = []
    seen: set[dt.date] = set()
    for line, row in _csv_rows(text, {"date", "close"}):
        try:
            if "__extra__" in row:
                raise ValueError("zu viele Spalten")
            day = _parse_date(row.get("date", ""))
            if day in seen:
                raise ValueError(f"Datum {day.isoformat()} kommt doppelt vor")
            if day > timezone.now().date():
                raise ValueError(f"Datum {day.isoformat()} liegt in der Zukunft")
            close = _positive_decimal(row.get("close", ""), "Schlusskurs")
            prices = {
                key: _positive_decimal(row[key], key)
                for key in ("open", "high", "low")
                if row.get(key)
            }
            if "high" in prices and "low" in prices and prices["high"] < prices["low"]:
                raise ValueError("Hoch liegt unter Tief")
            if row.get("volume"):
                _positive_decimal(row["volume"], "Volumen", allow_zero=True)
        except ValueError as exc:
            report.errors.append(f"Zeile {line}: {exc}")
            continue
        seen.add(day)
        stamp = dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
        # CSV volume is counted in coins, not money, so it is not stored as volume.
        points.append((stamp, close, None, None))
    with transaction.atomic():
        coin = coin_get_or_create(coin_id=coin_id, name=name, symbol=symbol)
        report.added = price_points_append(
            coin=coin, currency=currency, points=points, source=PricePoint.SOURCE_IMPORT
        )
    report.existing = len(points) - report.added
    if report.added:
        markets_generation_bump()
    return report


def fx_rates_import(*, source) -> ImportReport:
    """Load ECB reference rates (`date,usd_per_eur`); new dates are added, known ones kept."""
    text = _read_csv(source)
    report = ImportReport()
    rates: dict[dt.date, Decimal] = {}
    for line, row in _csv_rows(text, {"date", "usd_per_eur"}):
        try:
            day = _parse_date(row.get("date", ""))
            if day in rates:
                raise ValueError(f"Datum {day.isoformat()} kommt doppelt vor")
            rate = _positive_decimal(row.get("usd_per_eur", ""), "Kurs")
            if not Decimal("0.1") <= rate <= Decimal(10):
                raise ValueError(f"Kurs {rate} ist unplausibel")
        except ValueError as exc:
            report.errors.append(f"Zeile {line}: {exc}")
            continue
        rates[day] = rate.quantize(Decimal("0.00000001"))
    with transaction.atomic():
        existing = set(FxRate.objects.filter(date__in=rates).values_list("date", flat=True))
        FxRate.objects.bulk_create(
            [FxRate(date=d, usd_per_eur=r) for d, r in rates.items() if d not in existing],
            batch_size=1000,
            ignore_conflicts=True,
        )
    report.added = len(rates) - len(existing)
    report.existing = len(existing)
    if report.added:
        markets_generation_bump()
    return report
