"""The one module that speaks HTTP to CoinGecko's public API v3 (and fetches coin logos).

Everything that comes back is treated as untrusted: the client enforces timeouts (per
phase and per request, so a server that trickles bytes cannot hold a sync forever), a
size limit, retries with exponential backoff and jitter, honours HTTP 429 and its
`Retry-After`, and keeps under a calls-per-minute budget shared by every client in the
process. Answers are handed to `payloads` for validation before anyone sees them.

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
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpx

from kryptowelt.markets.coingecko.errors import (
    CoinGeckoBadPayload,
    CoinGeckoClientError,
    CoinGeckoError,
    CoinGeckoRateLimited,
    CoinGeckoUnavailable,
    ImageHostUnavailable,
    ImageRejected,
)
from kryptowelt.markets.coingecko.payloads import (
    COIN_ID_RE,
    MARKETS_CHANGE_WINDOWS,
    market_chart_parse,
    markets_parse,
    trending_parse,
)

logger = logging.getLogger("kryptowelt.markets.coingecko")

DEFAULT_BASE_URL = "https://api.coingecko.com/api/v3"
PRO_HOST = "pro-api.coingecko.com"
DEFAULT_IMAGE_HOSTS = ("coin-images.coingecko.com", "assets.coingecko.com")
USER_AGENT = "Kryptowelt/1.0 (+https://github.com/kryptowelt; market data sync)"
MAX_JSON_BYTES = 8 * 1024 * 1024
MAX_IMAGE_BYTES = 512 * 1024
# Logos are small: a host that needs longer than this per phase (twice that in all) is
# treated as down, so that a hanging image host cannot hold the logo job for long.
IMAGE_TIMEOUT = 5.0


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
        image_timeout: float = IMAGE_TIMEOUT,
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
        self.image_timeout = image_timeout
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

    def image_url_allowed(self, url: str) -> bool:
        """Whether `url` points to one of CoinGecko's image hosts (or the API's own host)."""
        parts = urlsplit(url)
        return parts.scheme in {"http", "https"} and (parts.hostname or "") in self.image_hosts

    def image_fetch(self, *, url: str) -> bytes:
        """Raw bytes of a coin logo, only from CoinGecko's image hosts (or the API's own
        host), in one attempt with short timeouts (`image_timeout` per phase, twice that in
        all). Raises ImageHostUnavailable when the host fails (network error, timeout, too
        slow or too large an answer, 5xx, 429) and ImageRejected when only this logo is
        unusable (host not allowed, other 4xx, not an image)."""
        if not self.image_url_allowed(url):
            raise ImageRejected("Logo nicht von erlaubtem Host")
        self.image_limiter.acquire()
        try:
            status, headers, body = self._fetch(url, {}, max_bytes=MAX_IMAGE_BYTES, api=False)
        except (httpx.TimeoutException, _TooSlow) as exc:
            raise ImageHostUnavailable(f"Zeitüberschreitung ({exc})") from exc
        except _TooLarge as exc:
            raise ImageHostUnavailable(str(exc)) from exc
        except httpx.HTTPError as exc:
            raise ImageHostUnavailable(f"nicht erreichbar ({type(exc).__name__})") from exc
        if status >= 500 or status in {408, 429}:
            raise ImageHostUnavailable(f"HTTP {status}")
        if status != 200:
            raise ImageRejected(f"HTTP {status}")
        if not headers.get("content-type", "").startswith("image/"):
            raise ImageRejected("Antwort ist kein Bild")
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
        if api:
            headers, timeout, deadline = self._auth_headers(), None, self.total_timeout
        else:
            headers = {"Accept": "image/*"}
            timeout = httpx.Timeout(self.image_timeout, connect=min(self.image_timeout, 5.0))
            deadline = 2 * self.image_timeout
        options = {"timeout": timeout} if timeout is not None else {}
        with self._http.stream("GET", url, params=params, headers=headers, **options) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise _TooLarge(f"Antwort größer als {max_bytes} Bytes")
                if self.clock() - started > deadline:
                    raise _TooSlow(f"Antwort dauerte länger als {deadline:.0f} s")
                chunks.append(chunk)
            if self.clock() - started > deadline:
                raise _TooSlow(f"Antwort dauerte länger als {deadline:.0f} s")
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
