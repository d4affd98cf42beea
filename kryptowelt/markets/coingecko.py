"""The one module that speaks HTTP to CoinGecko's public API v3 (and fetches coin logos).

Everything that comes back is treated as untrusted: the client enforces timeouts (per
phase and per request, so a server that trickles bytes cannot hold a sync forever), a
size limit, retries with exponential backoff and jitter, honours HTTP 429 and its
`Retry-After`, and keeps under a calls-per-minute budget shared by every client in the
process. Payloads are validated field by field into frozen dataclasses with `Decimal`
money; an entry that is malformed or incomplete is logged and skipped, never passed on.

Configuration (read by `CoinGeckoClient.from_settings()`, documented in `.env.example`):
COINGECKO_BASE_URL, COINGECKO_API_KEY, COINGECKO_API_PLAN, COINGECKO_TIMEOUT,
COINGECKO_MAX_RETRIES, COINGECKO_CALLS_PER_MINUTE, COINGECKO_IMAGE_HOSTS.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import math
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx

logger = logging.getLogger("kryptowelt.markets.coingecko")

DEFAULT_BASE_URL = "https://api.coingecko.com/api/v3"
PRO_HOST = "pro-api.coingecko.com"
DEFAULT_IMAGE_HOSTS = ("coin-images.coingecko.com", "assets.coingecko.com")
USER_AGENT = "Kryptowelt/1.0 (+https://github.com/kryptowelt; market data sync)"

MARKETS_CHANGE_WINDOWS = ("1h", "24h", "7d", "30d", "1y")
MAX_JSON_BYTES = 8 * 1024 * 1024
MAX_IMAGE_BYTES = 512 * 1024

COIN_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
EARLIEST = dt.datetime(2009, 1, 1, tzinfo=dt.UTC)

# Plausibility bounds: anything outside is garbage, not a market.
MAX_PRICE = Decimal("1e12")
MAX_MONEY = Decimal("1e16")
MAX_SUPPLY = Decimal("1e28")
MAX_PERCENT = Decimal("1e9")


# --- errors ---------------------------------------------------------------------------------


class CoinGeckoError(Exception):
    """Any failure to get usable data from CoinGecko."""


class CoinGeckoUnavailable(CoinGeckoError):
    """Network error, timeout or server error (5xx), after all retries."""


class CoinGeckoRateLimited(CoinGeckoError):
    """HTTP 429; `retry_after` is the number of seconds CoinGecko asked us to wait."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class CoinGeckoBadPayload(CoinGeckoError):
    """The response is not JSON, or not shaped like CoinGecko's answer at all."""


class CoinGeckoClientError(CoinGeckoError):
    """A 4xx other than 429: wrong key, unknown coin, … (not retried)."""


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


# --- rate limiting --------------------------------------------------------------------------


class RateLimiter:
    """At most `calls` calls in any window of `period` seconds, plus pauses after a 429.

    Thread-safe; one instance is shared by every client of the process."""

    def __init__(
        self,
        calls: int,
        period: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.calls = max(1, calls)
        self.period = period
        self.clock = clock
        self.sleep = sleep
        self._stamps: deque[float] = deque()
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def wait_time(self) -> float:
        """Seconds until the next call is allowed (0 if now)."""
        now = self.clock()
        while self._stamps and now - self._stamps[0] >= self.period:
            self._stamps.popleft()
        wait = max(0.0, self._paused_until - now)
        if len(self._stamps) >= self.calls:
            wait = max(wait, self._stamps[0] + self.period - now)
        return wait

    def acquire(self) -> None:
        while True:
            with self._lock:
                wait = self.wait_time()
                if wait <= 0:
                    self._stamps.append(self.clock())
                    return
            self.sleep(wait)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, self.clock() + seconds)


_shared_limiters: dict[tuple[str, int], RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(key: str, calls: int) -> RateLimiter:
    with _shared_lock:
        limiter = _shared_limiters.get((key, calls))
        if limiter is None:
            limiter = _shared_limiters[(key, calls)] = RateLimiter(calls)
        return limiter


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """`Retry-After` as seconds: either a number or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        current = now if now is not None else time.time()
        return max(0.0, when.timestamp() - current)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


# --- client ---------------------------------------------------------------------------------


class _TooSlow(Exception):
    pass


class _TooLarge(Exception):
    pass


class CoinGeckoClient:
    """Fetch and validate CoinGecko data. All network access of the markets app goes here."""

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        api_key: str = "",
        api_plan: str = "",
        timeout: float = 10.0,
        total_timeout: float | None = None,
        max_retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        max_retry_after: float = 60.0,
        calls_per_minute: int = 25,
        image_hosts: Iterable[str] = DEFAULT_IMAGE_HOSTS,
        transport: httpx.BaseTransport | None = None,
        limiter: RateLimiter | None = None,
        image_limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.api_key = api_key or ""
        host = urlsplit(self.base_url).hostname or ""
        self.api_plan = (api_plan or ("pro" if host == PRO_HOST else "demo")).lower()
        self.timeout = timeout
        self.total_timeout = total_timeout if total_timeout is not None else 2 * timeout
        self.max_retries = max(0, max_retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.sleep = sleep
        self.clock = clock
        self.limiter = limiter or shared_limiter(self.base_url, calls_per_minute)
        self.image_limiter = image_limiter or shared_limiter("images", 120)
        self.image_hosts = {h.strip().lower() for h in image_hosts if h.strip()}
        if host:
            self.image_hosts.add(host.lower())  # a mirror may serve its own logos
        self.calls = 0
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )

    @classmethod
    def from_settings(cls, **overrides) -> CoinGeckoClient:
        from django.conf import settings

        options = {
            "base_url": settings.COINGECKO_BASE_URL,
            "api_key": settings.COINGECKO_API_KEY,
            "api_plan": settings.COINGECKO_API_PLAN,
            "timeout": settings.COINGECKO_TIMEOUT,
            "max_retries": settings.COINGECKO_MAX_RETRIES,
            "calls_per_minute": settings.COINGECKO_CALLS_PER_MINUTE,
            "image_hosts": settings.COINGECKO_IMAGE_HOSTS,
        }
        options.update(overrides)
        return cls(**options)

    def close(self) -> None:
        self._http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- endpoints --------------------------------------------------------------------------

    def coins_markets(self, *, vs_currency: str = "eur", per_page: int = 250, page: int = 1):
        """Top coins by market cap with 7-day sparkline and 1h/24h/7d/30d/1y changes."""
        payload = self.get_json(
            "/coins/markets",
            {
                "vs_currency": vs_currency,
                "order": "market_cap_desc",
                "per_page": per_page,
                "page": page,
                "sparkline": "true",
                "price_change_percentage": ",".join(MARKETS_CHANGE_WINDOWS),
                "precision": "full",
            },
        )
        return markets_parse(payload)

    def coin_market_chart(self, *, coin_id: str, vs_currency: str = "eur", days: str = "365"):
        """Price, market cap and volume history (daily points beyond 90 days)."""
        if not COIN_ID_RE.match(coin_id):
            raise CoinGeckoClientError(f"ungültige Coin-ID {coin_id!r}")
        params = {"vs_currency": vs_currency, "days": days}
        if days not in {"1", "2"} and (days == "max" or int(days) > 90):
            params["interval"] = "daily"
        payload = self.get_json(f"/coins/{coin_id}/market_chart", params)
        return market_chart_parse(payload)

    def search_trending(self):
        return trending_parse(self.get_json("/search/trending", {}))

    def image_fetch(self, *, url: str) -> bytes | None:
        """Raw bytes of a coin logo, only from CoinGecko's image hosts (or the API's own
        host); None when the URL is not allowed or the download fails."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or (parts.hostname or "") not in self.image_hosts:
            logger.info("Logo nicht von erlaubtem Host, übersprungen: %s", url[:200])
            return None
        self.image_limiter.acquire()
        try:
            status, headers, body = self._fetch(url, {}, max_bytes=MAX_IMAGE_BYTES, api=False)
        except (httpx.HTTPError, _TooSlow, _TooLarge) as exc:
            logger.info("Logo konnte nicht geladen werden (%s): %s", type(exc).__name__, url[:200])
            return None
        if status != 200 or not headers.get("content-type", "").startswith("image/"):
            logger.info("Logo-Antwort unbrauchbar (HTTP %s): %s", status, url[:200])
            return None
        return body

    # --- transport --------------------------------------------------------------------------

    def _auth_headers(self) -> dict[str, str]:
        if not self.api_key:
            return {}
        header = "x-cg-pro-api-key" if self.api_plan == "pro" else "x-cg-demo-api-key"
        return {header: self.api_key}

    def _fetch(self, url: str, params: dict, *, max_bytes: int, api: bool = True):
        """One GET with a deadline for the whole exchange and a size limit."""
        started = self.clock()
        headers = self._auth_headers() if api else {"Accept": "image/*"}
        with self._http.stream("GET", url, params=params, headers=headers) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise _TooLarge(f"Antwort größer als {max_bytes} Bytes")
                if self.clock() - started > self.total_timeout:
                    raise _TooSlow(f"Antwort dauerte länger als {self.total_timeout:.0f} s")
                chunks.append(chunk)
            if self.clock() - started > self.total_timeout:
                raise _TooSlow(f"Antwort dauerte länger als {self.total_timeout:.0f} s")
            return response.status_code, response.headers, b"".join(chunks)

    def _backoff_delay(self, attempt: int) -> float:
        base = self.backoff * (2 ** (attempt - 1))
        return min(self.max_backoff, base * (1 + random.random() * 0.25))  # noqa: S311

    def get_json(self, path: str, params: dict) -> Any:
        """GET `path` and decode JSON, retrying what is worth retrying."""
        url = f"{self.base_url}{path}"
        attempt = 0
        while True:
            self.limiter.acquire()
            self.calls += 1
            retry_after = None
            try:
                status, headers, body = self._fetch(url, params, max_bytes=MAX_JSON_BYTES)
            except (httpx.TimeoutException, _TooSlow) as exc:
                error: CoinGeckoError = CoinGeckoUnavailable(f"{path}: Zeitüberschreitung ({exc})")
            except _TooLarge as exc:
                raise CoinGeckoBadPayload(f"{path}: {exc}") from exc
            except httpx.HTTPError as exc:
                error = CoinGeckoUnavailable(f"{path}: nicht erreichbar ({type(exc).__name__})")
            else:
                if status == 200:
                    return self._decode(path, body)
                if status == 429:
                    retry_after = retry_after_seconds(headers.get("retry-after"))
                    wait = retry_after if retry_after is not None else self._backoff_delay(1)
                    self.limiter.pause(wait)
                    error = CoinGeckoRateLimited(
                        f"{path}: HTTP 429 (zu viele Anfragen)", retry_after=wait
                    )
                    if wait > self.max_retry_after:
                        logger.warning("%s – Retry-After %.0f s ist zu lang, Abbruch", error, wait)
                        raise error
                elif status >= 500 or status == 408:
                    error = CoinGeckoUnavailable(f"{path}: HTTP {status}")
                else:
                    raise CoinGeckoClientError(f"{path}: HTTP {status}")
            attempt += 1
            if attempt > self.max_retries:
                logger.warning("CoinGecko aufgegeben nach %d Versuchen: %s", attempt, error)
                raise error
            delay = retry_after if retry_after is not None else self._backoff_delay(attempt)
            logger.info("CoinGecko %s, neuer Versuch in %.1f s", error, delay)
            self.sleep(delay)

    @staticmethod
    def _decode(path: str, body: bytes) -> Any:
        def reject_constant(name):
            raise ValueError(f"{name} ist kein gültiger JSON-Wert")

        try:
            return json.loads(body.decode("utf-8"), parse_constant=reject_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise CoinGeckoBadPayload(f"{path}: kein gültiges JSON ({exc})") from exc
