"""What the Sparplan and profit calculators compute from their forms' cleaned data, in one
place for the pages (views.py) and the public API (/api/v1/calculators/…): the same forms
check the input, the same code picks the fees and runs the maths. Nothing is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from kryptowelt.calculators import selectors
from kryptowelt.calculators.forms import SparplanForm
from kryptowelt.calculators.profit import SideFee, TradeResult, trade_profit
from kryptowelt.calculators.selectors import ProviderSparplanFees
from kryptowelt.calculators.sparplan.backtest import sparplan_backtest
from kryptowelt.calculators.sparplan.results import INTERVALS, Fees, SparplanResult
from kryptowelt.calculators.tax.rules import holding_period_end, is_tax_free
from kryptowelt.markets.models import Coin

ZERO = Decimal(0)


def sparplan_form(*, data: Mapping[str, str]) -> SparplanForm:
    """The Sparplan form bound to `data`, with the coins that have a stored history and the
    providers whose Sparplan costs are verified."""
    return SparplanForm(
        data,
        coin_choices=selectors.sparplan_coin_choices(),
        providers=selectors.sparplan_providers(),
    )


@dataclass(frozen=True)
class SparplanRun:
    result: SparplanResult
    coin: Coin | None
    coin_name: str
    provider: ProviderSparplanFees | None  # whose verified fees were used, if chosen
    provider_interval_note: str  # the provider does not offer the chosen interval


def sparplan_calculate(*, values: Mapping) -> SparplanRun:
    """The backtest for a valid SparplanForm's cleaned data. Raises `SparplanError` (German
    message) when the data cannot be calculated, e.g. a period without stored prices."""
    coin = selectors.sparplan_coin(coin_id=values["coin"])
    name = coin.name if coin else values["coin"]
    provider = None
    if values.get("anbieter"):
        provider = selectors.sparplan_providers(coin_symbol=coin.symbol if coin else "").get(
            values["anbieter"]
        )
    fees = (
        provider.fees()
        if provider
        else Fees(
            percent=values.get("gebuehr") or ZERO,
            fixed=values.get("gebuehr_fix") or ZERO,
            spread_percent=values.get("spread") or ZERO,
        )
    )
    note = ""
    if provider and provider.intervals and values["intervall"] not in provider.intervals:
        note = (
            f"{provider.name} bietet laut unserem Vergleich das Intervall "
            f"„{INTERVALS[values['intervall']]}“ nicht an."
        )
    result = sparplan_backtest(
        series=selectors.sparplan_series(coin_id=values["coin"]),
        amount=values["betrag"],
        interval=values["intervall"],
        start=values["start"],
        end=values["ende"],
        fees=fees,
        coin_name=name,
    )
    return SparplanRun(
        result=result, coin=coin, coin_name=name, provider=provider, provider_interval_note=note
    )


@dataclass(frozen=True)
class Holding:
    """The one-year holding period (§ 23 EStG) between the optional purchase and sale date."""

    tax_free: bool
    days: int
    free_from: dt.date


@dataclass(frozen=True)
class GewinnRun:
    result: TradeResult
    holding: Holding | None


def gewinn_calculate(*, values: Mapping) -> GewinnRun:
    """Profit of a valid GewinnForm's cleaned data. Raises `ProfitError` (German message)."""
    result = trade_profit(
        buy_price=values["kaufkurs"],
        sell_price=values["verkaufskurs"],
        quantity=values["menge"],
        buy_fee=SideFee(
            percent=values.get("gebuehr_kauf_prozent") or ZERO,
            fixed=values.get("gebuehr_kauf_euro") or ZERO,
        ),
        sell_fee=SideFee(
            percent=values.get("gebuehr_verkauf_prozent") or ZERO,
            fixed=values.get("gebuehr_verkauf_euro") or ZERO,
        ),
    )
    holding = None
    bought, sold = values.get("kaufdatum"), values.get("verkaufsdatum")
    if bought and sold:
        holding = Holding(
            tax_free=is_tax_free(acquired=bought, sold=sold),
            days=(sold - bought).days,
            free_from=holding_period_end(bought) + dt.timedelta(days=1),
        )
    return GewinnRun(result=result, holding=holding)
