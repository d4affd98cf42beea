"""Reads for the calculator pages. Price history comes only from the markets app's selectors
(the stored daily closes, long history loaded with `kryptowelt import_prices`); nothing here
writes, and nothing the reader enters is stored."""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

from kryptowelt.markets import selectors as market_selectors
from kryptowelt.markets.models import Coin

# How far back a missing day may look for the tax valuation (weekends in imported data).
VALUATION_MAX_GAP_DAYS = 3


def sparplan_coin_choices() -> list[tuple[str, str]]:
    """(CoinGecko id, name) of every coin with a stored daily history."""
    return market_selectors.coin_choices()


def sparplan_coin(*, coin_id: str) -> Coin | None:
    return Coin.objects.filter(coingecko_id=coin_id).first()


def sparplan_series(*, coin_id: str) -> list[tuple[dt.date, Decimal]]:
    """Daily closes in euros, ascending (converted from US dollars with ECB rates where only
    dollar prices are stored)."""
    return market_selectors.daily_close_series(coin_id=coin_id, currency="eur")


def sparplan_history_status(*, coin: Coin):
    """Whether the history is generated sample data, and how current it is."""
    return market_selectors.history_status(coin=coin)


class StoredPriceLookup:
    """`(symbol, day) -> € close` from our stored daily history, for rows of exchange exports
    that carry no euro value (staking rewards, coin-for-coin trades, dollar trades).

    A symbol maps to the best-ranked coin with that ticker; a day without a close uses the
    closest earlier day within `VALUATION_MAX_GAP_DAYS`. Series are loaded once per coin."""

    def __init__(self):
        self._ids: dict[str, str] | None = None
        self._series: dict[str, tuple[list[dt.date], list[Decimal]]] = {}
        self.used: set[str] = set()

    def _coin_ids(self) -> dict[str, str]:
        if self._ids is None:
            ids: dict[str, str] = {}
            for coin_id, symbol in Coin.objects.exclude(symbol="").values_list(
                "coingecko_id", "symbol"
            ):
                ids.setdefault(symbol.upper(), coin_id)  # queryset is ordered by rank
            self._ids = ids
        return self._ids

    def __call__(self, symbol: str, day: dt.date) -> Decimal | None:
        coin_id = self._coin_ids().get(symbol.upper())
        if coin_id is None:
            return None
        if coin_id not in self._series:
            series = sparplan_series(coin_id=coin_id)
            self._series[coin_id] = ([d for d, _ in series], [p for _, p in series])
        days, prices = self._series[coin_id]
        index = bisect.bisect_right(days, day) - 1
        if index < 0 or (day - days[index]).days > VALUATION_MAX_GAP_DAYS:
            return None
        self.used.add(symbol.upper())
        return prices[index]
