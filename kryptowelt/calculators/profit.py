"""Profit and loss of one trade after fees, and its break-even price. Pure `Decimal`, no Django.

Fees on each side may be a percentage of the trade's value, a fixed amount in euros, or both
(many brokers charge "1,49 % plus 0,99 €"). Buy fees add to the cost; sell fees reduce the
proceeds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)


class ProfitError(ValueError):
    """Input that cannot be calculated; the message is German and shown to the reader."""


@dataclass(frozen=True)
class SideFee:
    percent: Decimal = ZERO
    fixed: Decimal = ZERO

    def on(self, value: Decimal) -> Decimal:
        return value * self.percent / HUNDRED + self.fixed


@dataclass(frozen=True)
class TradeResult:
    buy_price: Decimal
    sell_price: Decimal
    quantity: Decimal
    buy_value: Decimal  # quantity × buy price
    buy_fee: Decimal
    cost: Decimal  # what the purchase cost in total
    sell_value: Decimal  # quantity × sell price
    sell_fee: Decimal
    proceeds: Decimal  # what the sale brings in after fees
    profit: Decimal
    profit_percent: Decimal
    break_even_price: Decimal  # sell price at which profit is exactly zero
    price_change_percent: Decimal
    fees_total: Decimal


def trade_profit(
    *,
    buy_price: Decimal,
    sell_price: Decimal,
    quantity: Decimal,
    buy_fee: SideFee | None = None,
    sell_fee: SideFee | None = None,
) -> TradeResult:
    buy_fee = buy_fee or SideFee()
    sell_fee = sell_fee or SideFee()
    if buy_price <= 0:
        raise ProfitError("Der Kaufkurs muss größer als 0 € sein.")
    if sell_price < 0:
        raise ProfitError("Der Verkaufskurs kann nicht negativ sein.")
    if quantity <= 0:
        raise ProfitError("Die Menge muss größer als 0 sein.")
    for fee in (buy_fee, sell_fee):
        if fee.percent < 0 or fee.fixed < 0:
            raise ProfitError("Gebühren können nicht negativ sein.")
    if sell_fee.percent >= HUNDRED:
        raise ProfitError("Eine Verkaufsgebühr von 100 % oder mehr lässt keinen Erlös übrig.")

    buy_value = quantity * buy_price
    buy_fee_eur = buy_fee.on(buy_value)
    cost = buy_value + buy_fee_eur
    sell_value = quantity * sell_price
    sell_fee_eur = sell_fee.on(sell_value)
    proceeds = sell_value - sell_fee_eur
    profit = proceeds - cost
    # proceeds(p) = q·p·(1 − f%) − fixed = cost  →  p = (cost + fixed) / (q·(1 − f%))
    break_even = (cost + sell_fee.fixed) / (quantity * (1 - sell_fee.percent / HUNDRED))
    return TradeResult(
        buy_price=buy_price,
        sell_price=sell_price,
        quantity=quantity,
        buy_value=buy_value,
        buy_fee=buy_fee_eur,
        cost=cost,
        sell_value=sell_value,
        sell_fee=sell_fee_eur,
        proceeds=proceeds,
        profit=profit,
        profit_percent=profit / cost * HUNDRED,
        break_even_price=break_even,
        price_change_percent=(sell_price / buy_price - 1) * HUNDRED,
        fees_total=buy_fee_eur + sell_fee_eur,
    )
