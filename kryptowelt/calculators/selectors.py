"""Reads for the calculator pages. Price history comes only from the markets app's selectors
(the stored daily closes, long history loaded with `kryptowelt import_prices`), provider fees
only from the comparisons app's verified figures; nothing here writes, and nothing the
reader enters is stored."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kryptowelt.calculators.sparplan.results import Fees
from kryptowelt.comparisons import fees as comparison_fees
from kryptowelt.comparisons import selectors as comparison_selectors
from kryptowelt.comparisons.figures import SPECS
from kryptowelt.comparisons.kinds import KINDS
from kryptowelt.markets.models import Coin
from kryptowelt.markets.selectors.coins import coin_choices
from kryptowelt.markets.selectors.quotes import history_status
from kryptowelt.markets.selectors.series import daily_close_series

# How far back a missing day may look for the tax valuation (weekends in imported data).
VALUATION_MAX_GAP_DAYS = 3


def sparplan_coin_choices() -> list[tuple[str, str]]:
    """(CoinGecko id, name) of every coin with a stored daily history."""
    return coin_choices()


def sparplan_coin(*, coin_id: str) -> Coin | None:
    return Coin.objects.filter(coingecko_id=coin_id).first()


def sparplan_series(*, coin_id: str) -> list[tuple[dt.date, Decimal]]:
    """Daily closes in euros, ascending (converted from US dollars with ECB rates where only
    dollar prices are stored)."""
    return daily_close_series(coin_id=coin_id, currency="eur")


def sparplan_history_status(*, coin: Coin):
    """Whether the history is generated sample data, and how current it is."""
    return history_status(coin=coin)


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


# --- provider fees from the comparisons ----------------------------------------------------


@dataclass(frozen=True)
class UsedFigure:
    label: str
    display: str
    source: str
    checked: dt.date


@dataclass(frozen=True)
class ProviderSparplanFees:
    """A provider's Sparplan costs as verified in the comparisons (source and check date).

    A figure that is not verified is None and is *not* treated as zero: the page lists it
    under `missing` next to the result."""

    slug: str
    name: str
    url: str
    fee_percent: Decimal | None
    fee_fixed: Decimal | None
    spread_percent: Decimal | None
    min_rate: Decimal | None
    intervals: list[str] | None
    used: list[UsedFigure]
    missing: list[str]

    def fees(self) -> Fees:
        zero = Decimal(0)
        return Fees(
            percent=self.fee_percent or zero,
            fixed=self.fee_fixed or zero,
            spread_percent=self.spread_percent or zero,
        )


def _provider_fees(row, *, coin_symbol: str) -> ProviderSparplanFees | None:
    facts = row.facts
    fee = facts.verified("sparplan_fee")
    is_broker = row.provider.pricing == comparison_fees.BROKER
    spread = facts.verified("spread_pct", coin_symbol) if is_broker else None
    if fee is None and spread is None:
        return None  # nothing verified to calculate with
    used, missing = [], []
    for fact, key in ((fee, "sparplan_fee"), (spread, "spread_pct")):
        if fact is not None:
            used.append(UsedFigure(SPECS[key].label, fact.display(), fact.source, fact.checked))
        elif key == "sparplan_fee" or is_broker:
            missing.append(SPECS[key].label)
    minimum = facts.verified("sparplan_min_eur")
    intervals = facts.verified("sparplan_intervals")
    return ProviderSparplanFees(
        slug=row.slug,
        name=row.name,
        url=row.provider.get_absolute_url(),
        fee_percent=fee.number if fee else None,
        fee_fixed=fee.number_eur if fee else None,
        spread_percent=spread.number if spread else None,
        min_rate=minimum.number if minimum else None,
        intervals=intervals.value if intervals else None,
        used=used,
        missing=missing,
    )


def sparplan_providers(*, coin_symbol: str = "") -> dict[str, ProviderSparplanFees]:
    """Providers offering a Sparplan with at least one verified cost figure, by slug."""

    rows = comparison_selectors.provider_rows(kind=KINDS["sparplaene"])
    result = {}
    for row in rows:
        if row.facts.value("sparplan") is False:
            continue
        fees = _provider_fees(row, coin_symbol=coin_symbol.upper())
        if fees is not None:
            result[fees.slug] = fees
    return dict(sorted(result.items(), key=lambda item: item[1].name.casefold()))
