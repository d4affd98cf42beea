"""CoinGecko payloads → validated, typed records (no HTTP, no Django).

Everything CoinGecko sends is untrusted: each answer must have the documented shape, and each
entry is validated field by field into a frozen dataclass with `Decimal` money. An entry that
is malformed, incomplete or implausible is logged with a German reason and skipped, never
passed on; an answer of the wrong shape as a whole raises `CoinGeckoBadPayload`.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from kryptowelt.markets.coingecko.errors import CoinGeckoBadPayload

logger = logging.getLogger("kryptowelt.markets.coingecko")

MARKETS_CHANGE_WINDOWS = ("1h", "24h", "7d", "30d", "1y")

COIN_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
EARLIEST = dt.datetime(2009, 1, 1, tzinfo=dt.UTC)

# Plausibility bounds: anything outside is garbage, not a market.
MAX_PRICE = Decimal("1e12")
MAX_MONEY = Decimal("1e16")
MAX_SUPPLY = Decimal("1e28")
MAX_PERCENT = Decimal("1e9")


# --- validated records ----------------------------------------------------------------------


@dataclass(frozen=True)
class MarketEntry:
    """One coin of `/coins/markets`, validated; money in the requested currency."""

    id: str
    symbol: str
    name: str
    image_url: str
    rank: int | None
    price: Decimal
    market_cap: Decimal | None
    total_volume: Decimal | None
    high_24h: Decimal | None
    low_24h: Decimal | None
    change_1h: Decimal | None
    change_24h: Decimal | None
    change_7d: Decimal | None
    change_30d: Decimal | None
    change_1y: Decimal | None
    circulating_supply: Decimal | None
    total_supply: Decimal | None
    max_supply: Decimal | None
    ath: Decimal | None
    ath_change_percentage: Decimal | None
    ath_date: dt.datetime | None
    atl: Decimal | None
    atl_date: dt.datetime | None
    last_updated: dt.datetime | None
    sparkline_7d: tuple[float, ...] = ()


@dataclass(frozen=True)
class HistoryPoint:
    timestamp: dt.datetime
    price: Decimal
    market_cap: Decimal | None
    volume: Decimal | None


@dataclass(frozen=True)
class TrendingCoin:
    id: str
    name: str
    symbol: str
    rank: int | None
    position: int


@dataclass
class ParseResult:
    """Valid items plus a description of everything skipped (for logs and reports)."""

    items: list = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class EntryError(ValueError):
    """A single entry failed validation."""


# --- field validators -----------------------------------------------------------------------


def _number(
    entry: dict,
    key: str,
    *,
    required: bool = False,
    minimum: Decimal | None = None,
    maximum: Decimal,
    positive: bool = False,
) -> Decimal | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise EntryError(f"{key} fehlt")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EntryError(f"{key} ist keine Zahl: {value!r:.40}")
    if isinstance(value, float) and not math.isfinite(value):
        raise EntryError(f"{key} ist nicht endlich")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if positive and number <= 0:
        raise EntryError(f"{key} ist nicht positiv: {number}")
    if minimum is not None and number < minimum:
        raise EntryError(f"{key} ist zu klein: {number}")
    if abs(number) > maximum:
        raise EntryError(f"{key} ist unplausibel groß: {number}")
    return number


def _text(entry: dict, key: str, *, max_length: int, required: bool = False) -> str:
    value = entry.get(key)
    if value is None or value == "":
        if required:
            raise EntryError(f"{key} fehlt")
        return ""
    if not isinstance(value, str):
        raise EntryError(f"{key} ist kein Text")
    value = value.strip()
    if len(value) > max_length or any(ord(ch) < 32 for ch in value):
        raise EntryError(f"{key} ist ungültig")
    if required and not value:
        raise EntryError(f"{key} fehlt")
    return value


def _coin_id(entry: dict, key: str = "id") -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not COIN_ID_RE.match(value):
        raise EntryError(f"{key} ist keine gültige Coin-ID: {value!r:.40}")
    return value


def _rank(entry: dict, key: str) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EntryError(f"{key} ist keine Zahl")
    if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
        raise EntryError(f"{key} ist keine ganze Zahl")
    if not 1 <= value <= 1_000_000:
        raise EntryError(f"{key} liegt außerhalb des gültigen Bereichs")
    return int(value)


def parse_datetime(value: Any, *, now: dt.datetime, key: str = "Datum") -> dt.datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise EntryError(f"{key} ist kein Zeitpunkt")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise EntryError(f"{key} ist kein gültiger Zeitpunkt: {value!r:.40}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    parsed = parsed.astimezone(dt.UTC)
    if not EARLIEST <= parsed <= now + dt.timedelta(days=1):
        raise EntryError(f"{key} liegt außerhalb des plausiblen Zeitraums: {value!r:.40}")
    return parsed


def _image_url(entry: dict) -> str:
    value = entry.get("image")
    if value is None or value == "" or value == "missing_large.png":
        return ""
    if not isinstance(value, str) or len(value) > 500:
        raise EntryError("image ist ungültig")
    if urlsplit(value).scheme not in {"http", "https"}:
        return ""
    return value


def _sparkline(entry: dict) -> tuple[float, ...]:
    value = entry.get("sparkline_in_7d")
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise EntryError("sparkline_in_7d ist ungültig")
    prices = value.get("price")
    if prices is None:
        return ()
    if not isinstance(prices, list) or len(prices) > 2000:
        raise EntryError("sparkline_in_7d.price ist keine Liste")
    result = []
    for item in prices:
        if item is None:
            continue  # CoinGecko leaves gaps as null
        if isinstance(item, bool) or not isinstance(item, int | float):
            raise EntryError("sparkline_in_7d enthält keine Zahl")
        if not math.isfinite(item) or item < 0:
            raise EntryError("sparkline_in_7d enthält einen ungültigen Wert")
        result.append(float(item))
    return tuple(result)


def market_entry_parse(entry: Any, *, now: dt.datetime) -> MarketEntry:
    """Validate one item of `/coins/markets`; raises EntryError with a German reason."""
    if not isinstance(entry, dict):
        raise EntryError("Eintrag ist kein Objekt")
    changes = {
        window: _number(
            entry,
            f"price_change_percentage_{window}_in_currency",
            minimum=Decimal(-100),
            maximum=MAX_PERCENT,
        )
        for window in MARKETS_CHANGE_WINDOWS
    }
    if changes["24h"] is None:
        changes["24h"] = _number(
            entry, "price_change_percentage_24h", minimum=Decimal(-100), maximum=MAX_PERCENT
        )
    return MarketEntry(
        id=_coin_id(entry),
        symbol=_text(entry, "symbol", max_length=30, required=True).lower(),
        name=_text(entry, "name", max_length=120, required=True),
        image_url=_image_url(entry),
        rank=_rank(entry, "market_cap_rank"),
        price=_number(entry, "current_price", required=True, positive=True, maximum=MAX_PRICE),
        market_cap=_number(entry, "market_cap", minimum=Decimal(0), maximum=MAX_MONEY),
        total_volume=_number(entry, "total_volume", minimum=Decimal(0), maximum=MAX_MONEY),
        high_24h=_number(entry, "high_24h", minimum=Decimal(0), maximum=MAX_PRICE),
        low_24h=_number(entry, "low_24h", minimum=Decimal(0), maximum=MAX_PRICE),
        change_1h=changes["1h"],
        change_24h=changes["24h"],
        change_7d=changes["7d"],
        change_30d=changes["30d"],
        change_1y=changes["1y"],
        circulating_supply=_number(
            entry, "circulating_supply", minimum=Decimal(0), maximum=MAX_SUPPLY
        ),
        total_supply=_number(entry, "total_supply", minimum=Decimal(0), maximum=MAX_SUPPLY),
        max_supply=_number(entry, "max_supply", minimum=Decimal(0), maximum=MAX_SUPPLY),
        ath=_number(entry, "ath", minimum=Decimal(0), maximum=MAX_PRICE),
        ath_change_percentage=_number(
            entry, "ath_change_percentage", minimum=Decimal(-100), maximum=MAX_PERCENT
        ),
        ath_date=parse_datetime(entry.get("ath_date"), now=now, key="ath_date"),
        atl=_number(entry, "atl", minimum=Decimal(0), maximum=MAX_PRICE),
        atl_date=parse_datetime(entry.get("atl_date"), now=now, key="atl_date"),
        last_updated=parse_datetime(entry.get("last_updated"), now=now, key="last_updated"),
        sparkline_7d=_sparkline(entry),
    )


def markets_parse(payload: Any, *, now: dt.datetime | None = None) -> ParseResult:
    """Validate a `/coins/markets` answer. The payload as a whole must be a list; each bad
    entry is logged and skipped; a repeated coin id keeps its first (higher-ranked) entry."""
    now = now or dt.datetime.now(dt.UTC)
    if not isinstance(payload, list):
        raise CoinGeckoBadPayload("/coins/markets lieferte keine Liste")
    result = ParseResult()
    seen: set[str] = set()
    for position, raw in enumerate(payload):
        try:
            entry = market_entry_parse(raw, now=now)
        except EntryError as exc:
            label = raw.get("id") if isinstance(raw, dict) else None
            reason = f"Eintrag {position + 1} ({label!r:.40}): {exc}"
            logger.warning("CoinGecko /coins/markets: übersprungen – %s", reason)
            result.skipped.append(reason)
            continue
        if entry.id in seen:
            reason = f"Eintrag {position + 1} ({entry.id}): doppelt"
            logger.warning("CoinGecko /coins/markets: übersprungen – %s", reason)
            result.skipped.append(reason)
            continue
        seen.add(entry.id)
        result.items.append(entry)
    return result


def _pairs(payload: dict, key: str, *, now: dt.datetime, maximum: Decimal, positive: bool):
    raw = payload.get(key)
    if raw is None:
        return {}, 0
    if not isinstance(raw, list):
        raise CoinGeckoBadPayload(f"market_chart: {key} ist keine Liste")
    values: dict[int, Decimal] = {}
    skipped = 0
    latest = (now + dt.timedelta(days=1)).timestamp() * 1000
    for item in raw:
        try:
            if not isinstance(item, list | tuple) or len(item) != 2:
                raise EntryError("kein Paar")
            stamp, value = item
            if isinstance(stamp, bool) or not isinstance(stamp, int | float):
                raise EntryError("Zeitstempel ist keine Zahl")
            if not math.isfinite(stamp) or not EARLIEST.timestamp() * 1000 <= stamp <= latest:
                raise EntryError("Zeitstempel unplausibel")
            number = _number({"v": value}, "v", required=True, minimum=Decimal(0), maximum=maximum)
            if positive and number <= 0:
                raise EntryError("Wert nicht positiv")
        except EntryError:
            skipped += 1
            continue
        values[int(stamp)] = number
    return values, skipped


def market_chart_parse(payload: Any, *, now: dt.datetime | None = None) -> ParseResult:
    """Validate `/coins/{id}/market_chart`: price points with market cap and volume."""
    now = now or dt.datetime.now(dt.UTC)
    if not isinstance(payload, dict) or not isinstance(payload.get("prices"), list):
        raise CoinGeckoBadPayload("market_chart: prices fehlt")
    prices, bad_prices = _pairs(payload, "prices", now=now, maximum=MAX_PRICE, positive=True)
    caps, _ = _pairs(payload, "market_caps", now=now, maximum=MAX_MONEY, positive=False)
    volumes, _ = _pairs(payload, "total_volumes", now=now, maximum=MAX_MONEY, positive=False)
    result = ParseResult()
    for stamp in sorted(prices):
        result.items.append(
            HistoryPoint(
                timestamp=dt.datetime.fromtimestamp(stamp / 1000, dt.UTC),
                price=prices[stamp],
                market_cap=caps.get(stamp),
                volume=volumes.get(stamp),
            )
        )
    if bad_prices:
        reason = f"{bad_prices} ungültige Kurspunkte"
        logger.warning("CoinGecko market_chart: übersprungen – %s", reason)
        result.skipped.append(reason)
    return result


def trending_parse(payload: Any) -> ParseResult:
    """Validate `/search/trending` (only the coins; NFTs and categories are not used)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("coins"), list):
        raise CoinGeckoBadPayload("/search/trending: coins fehlt")
    result = ParseResult()
    seen: set[str] = set()
    for position, raw in enumerate(payload["coins"]):
        try:
            item = raw.get("item") if isinstance(raw, dict) else None
            if not isinstance(item, dict):
                raise EntryError("item fehlt")
            coin = TrendingCoin(
                id=_coin_id(item),
                name=_text(item, "name", max_length=120, required=True),
                symbol=_text(item, "symbol", max_length=30, required=True).lower(),
                rank=_rank(item, "market_cap_rank"),
                position=len(result.items) + 1,
            )
        except EntryError as exc:
            reason = f"Eintrag {position + 1}: {exc}"
            logger.warning("CoinGecko /search/trending: übersprungen – %s", reason)
            result.skipped.append(reason)
            continue
        if coin.id in seen:
            continue
        seen.add(coin.id)
        result.items.append(coin)
    return result
