"""Sample market data for `kryptowelt demo`, generated here so the demo works offline.

Every figure is invented and labelled "Beispieldaten – keine echten Kurse" wherever it is
shown; only names and ticker symbols are those of real coins. Each price is a deterministic
function of its date and time (a seeded mean-reverting random walk around a trend), so
running the loader again only adds the points that are missing up to now, and real data
(any successful CoinGecko sync) replaces all of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kryptowelt.markets.coingecko.payloads import MarketEntry
from kryptowelt.markets.models import Coin, MarketSnapshot, PricePoint
from kryptowelt.markets.services.history import price_points_append
from kryptowelt.markets.services.logos import coin_logo_draw
from kryptowelt.markets.services.mentions import coin_mentions_refresh
from kryptowelt.markets.services.state import markets_generation_bump
from kryptowelt.markets.services.sync import market_entries_store


@dataclass(frozen=True)
class SampleCoin:
    id: str
    name: str
    symbol: str
    start: dt.date
    start_price: float  # EUR at `start`
    trend_price: float  # EUR the trend reaches on TREND_DATE
    daily_vol: float
    supply: float | None
    max_supply: float | None


TREND_DATE = dt.date(2026, 6, 1)
LONG_START = dt.date(2019, 1, 1)
SHORT_START = dt.date(2025, 1, 1)

# Invented figures in the rough order of magnitude of the real coins; not market data.
SAMPLE_COINS = [
    SampleCoin("bitcoin", "Bitcoin", "btc", LONG_START, 3500, 80000, 0.032, 19.9e6, 21e6),
    SampleCoin("ethereum", "Ethereum", "eth", LONG_START, 120, 2800, 0.042, 120.7e6, None),
    SampleCoin("tether", "Tether", "usdt", SHORT_START, 0.93, 0.92, 0.002, 160e9, None),
    SampleCoin("ripple", "XRP", "xrp", SHORT_START, 0.33, 2.1, 0.05, 59e9, 100e9),
    SampleCoin("binancecoin", "BNB", "bnb", SHORT_START, 230, 600, 0.035, 140e6, 200e6),
    SampleCoin("solana", "Solana", "sol", SHORT_START, 9, 140, 0.055, 520e6, None),
    SampleCoin("usd-coin", "USDC", "usdc", SHORT_START, 0.93, 0.92, 0.002, 70e9, None),
    SampleCoin("dogecoin", "Dogecoin", "doge", SHORT_START, 0.07, 0.19, 0.055, 149e9, None),
    SampleCoin("cardano", "Cardano", "ada", SHORT_START, 0.24, 0.65, 0.05, 36e9, 45e9),
    SampleCoin("tron", "TRON", "trx", SHORT_START, 0.05, 0.24, 0.03, 95e9, None),
    SampleCoin("chainlink", "Chainlink", "link", SHORT_START, 5.2, 14, 0.05, 650e6, 1e9),
    SampleCoin("avalanche-2", "Avalanche", "avax", SHORT_START, 10.5, 21, 0.055, 420e6, 720e6),
    SampleCoin("stellar", "Stellar", "xlm", SHORT_START, 0.07, 0.27, 0.05, 31e9, 50e9),
    SampleCoin("litecoin", "Litecoin", "ltc", SHORT_START, 65, 85, 0.04, 76e6, 84e6),
    SampleCoin("polkadot", "Polkadot", "dot", SHORT_START, 4.1, 4.2, 0.05, 1.5e9, None),
    SampleCoin(
        "shiba-inu", "Shiba Inu", "shib", SHORT_START, 0.0000078, 0.000012, 0.06, 589e12, None
    ),
    SampleCoin("uniswap", "Uniswap", "uni", SHORT_START, 4.9, 7.5, 0.055, 600e6, 1e9),
    SampleCoin("monero", "Monero", "xmr", SHORT_START, 135, 230, 0.035, 18.4e6, None),
    SampleCoin("cosmos", "Cosmos Hub", "atom", SHORT_START, 8.9, 4.3, 0.05, 390e6, None),
    SampleCoin("near", "NEAR Protocol", "near", SHORT_START, 1.2, 2.6, 0.055, 1.2e9, None),
]

HOURLY_DAYS = 8
FIVE_MINUTE_HOURS = 26


def _seed(*parts) -> int:
    return int.from_bytes(hashlib.sha256(":".join(map(str, parts)).encode()).digest()[:8], "big")


def _daily_path(coin: SampleCoin, until: dt.date) -> list[float]:
    """Log-price OU process around a log-linear trend, one value per day from coin.start."""
    rng = random.Random(_seed(coin.id, "daily"))  # noqa: S311 - sample data, not security
    days_to_trend = (TREND_DATE - coin.start).days
    slope = math.log(coin.trend_price / coin.start_price) / days_to_trend
    theta = 1 / 90
    deviation, values = 0.0, []
    for index in range((until - coin.start).days + 1):
        if index:
            deviation = deviation * (1 - theta) + coin.daily_vol * rng.gauss(0, 1)
        values.append(coin.start_price * math.exp(slope * index + deviation))
    return values


def _gauss(*key) -> float:
    """A standard normal number that depends only on `key` (Box–Muller on a hash)."""
    digest = hashlib.blake2b(":".join(map(str, key)).encode(), digest_size=16).digest()
    u1 = (int.from_bytes(digest[:8], "big") + 1) / 2**64
    u2 = int.from_bytes(digest[8:], "big") / 2**64
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


def _bridge_noise(key: tuple, fraction: float, scale: float) -> float:
    """Noise that is zero at both ends of an interval (a Brownian-bridge-like wiggle)."""
    return _gauss(*key) * scale * math.sqrt(max(fraction * (1 - fraction), 0.0))


def _price_at(coin: SampleCoin, daily: list[float], moment: dt.datetime) -> float:
    """Price at any moment: between daily anchors (00:00 UTC), plus hourly wiggles."""
    seconds = (moment - dt.datetime.combine(coin.start, dt.time(0), tzinfo=dt.UTC)).total_seconds()
    day_index = int(seconds // 86400)
    day_index = max(0, min(day_index, len(daily) - 2))
    fraction = min(max(seconds / 86400 - day_index, 0.0), 1.0)
    low, high = math.log(daily[day_index]), math.log(daily[day_index + 1])
    hour_fraction = (seconds % 3600) / 3600
    hour = int(seconds // 3600)
    wiggle = _bridge_noise((coin.id, "d", day_index), fraction, coin.daily_vol * 0.8)
    wiggle += _bridge_noise((coin.id, "h", hour), hour_fraction, coin.daily_vol * 0.12)
    return math.exp(low + (high - low) * fraction + wiggle)


def _decimal(value: float) -> Decimal:
    return Decimal(f"{value:.12g}")


def _pct(new: float, old: float) -> Decimal:
    return Decimal(f"{(new / old - 1) * 100:.4f}")


def sample_series(coin: SampleCoin, now: dt.datetime) -> list[tuple[dt.datetime, float]]:
    """Daily points up to today, hourly for the last days, 5-minutely for the last day."""
    daily = _daily_path(coin, now.date() + dt.timedelta(days=1))
    points: dict[dt.datetime, float] = {}
    for index in range((now.date() - coin.start).days + 1):
        moment = dt.datetime.combine(coin.start + dt.timedelta(days=index), dt.time(0), dt.UTC)
        points[moment] = daily[index]
    hour = now.replace(minute=0, second=0, microsecond=0)
    for step in range(HOURLY_DAYS * 24):
        moment = hour - dt.timedelta(hours=step)
        points[moment] = _price_at(coin, daily, moment)
    five = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
    for step in range(FIVE_MINUTE_HOURS * 12):
        moment = five - dt.timedelta(minutes=5 * step)
        points[moment] = _price_at(coin, daily, moment)
    return sorted(points.items())


def _entry(coin: SampleCoin, rank: int, series: list[tuple[dt.datetime, float]]):
    """A validated market entry built from the sample series (same type as CoinGecko's)."""
    times = [t for t, _ in series]
    latest_time, price = series[-1]

    def value_before(delta: dt.timedelta) -> float:
        target = latest_time - delta
        best = min(range(len(times)), key=lambda i: abs((times[i] - target).total_seconds()))
        return series[best][1]

    last_day = [p for t, p in series if t >= latest_time - dt.timedelta(hours=24)]
    hourly = [p for t, p in series if t >= latest_time - dt.timedelta(days=7) and t.minute == 0][
        -168:
    ]
    ath_time, ath = max(series, key=lambda item: item[1])
    atl_time, atl = min(series, key=lambda item: item[1])
    volume_share = 0.02 + (_seed(coin.id, "vol") % 1000) / 1000 * 0.06
    market_cap = price * coin.supply if coin.supply else None
    return MarketEntry(
        id=coin.id,
        symbol=coin.symbol,
        name=coin.name,
        image_url="",
        rank=rank,
        price=_decimal(price),
        market_cap=_decimal(market_cap) if market_cap else None,
        total_volume=_decimal(market_cap * volume_share) if market_cap else None,
        high_24h=_decimal(max(last_day)),
        low_24h=_decimal(min(last_day)),
        change_1h=_pct(price, value_before(dt.timedelta(hours=1))),
        change_24h=_pct(price, value_before(dt.timedelta(hours=24))),
        change_7d=_pct(price, value_before(dt.timedelta(days=7))),
        change_30d=_pct(price, value_before(dt.timedelta(days=30))),
        change_1y=_pct(price, value_before(dt.timedelta(days=365))),
        circulating_supply=_decimal(coin.supply) if coin.supply else None,
        total_supply=_decimal(coin.max_supply or coin.supply) if coin.supply else None,
        max_supply=_decimal(coin.max_supply) if coin.max_supply else None,
        ath=_decimal(ath),
        ath_change_percentage=_pct(price, ath),
        ath_date=ath_time,
        atl=_decimal(atl),
        atl_date=atl_time,
        last_updated=latest_time,
        sparkline_7d=tuple(round(v, 12) for v in hourly),
    )


def load_market_samples(*, home=None, stdout=None, now: dt.datetime | None = None):
    """Beispiel-Kursdaten (offline erzeugt, als Beispieldaten gekennzeichnet)."""
    if MarketSnapshot.objects.filter(is_sample=False).exists() or (
        PricePoint.objects.exclude(source=PricePoint.SOURCE_SAMPLE)
        .filter(source__in=[PricePoint.SOURCE_SYNC, PricePoint.SOURCE_CHART])
        .exists()
    ):
        if stdout is not None:
            stdout.write("Kurse: echte Daten vorhanden, keine Beispieldaten erzeugt.")
        return
    now = (now or timezone.now()).astimezone(dt.UTC)
    added = 0
    with transaction.atomic():
        entries, all_series = [], {}
        for rank, coin in enumerate(SAMPLE_COINS, start=1):
            series = sample_series(coin, now)
            all_series[coin.id] = series
            entries.append(_entry(coin, rank, series))
        market_entries_store(entries=entries, fetched_at=now, is_sample=True)
        coins = {c.coingecko_id: c for c in Coin.objects.filter(coingecko_id__in=all_series)}
        imported = set(
            PricePoint.objects.filter(source=PricePoint.SOURCE_IMPORT)
            .values_list("coin__coingecko_id", flat=True)
            .distinct()
        )
        for coin_id, series in all_series.items():
            if coin_id in imported:
                continue  # real imported history is not mixed with invented prices
            added += price_points_append(
                coin=coins[coin_id],
                currency="eur",
                points=[(t, _decimal(p), None, None) for t, p in series],
                source=PricePoint.SOURCE_SAMPLE,
            )
        for coin in coins.values():
            if not coin.logo:
                coin_logo_draw(coin=coin)
    markets_generation_bump()
    mentions = coin_mentions_refresh()
    if stdout is not None:
        stdout.write(
            f"Kurse: {len(entries)} Coins mit Beispieldaten, {added} neue Kurspunkte, "
            f"{mentions} Coin-Erwähnungen in Artikeln."
        )
