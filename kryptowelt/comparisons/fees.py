"""The fee model: what one order (or a monthly plan) costs at one provider, and why.

Pure Python with Decimal arithmetic; no Django. A fee that is not verified is `None` here and
is never treated as zero: the result then says which figures are missing instead of a total.

Model (published on /vergleich/methodik/):

- Börse (order book): trading fee = taker fee × amount. The market spread goes to other
  traders, not to the provider, and is not part of the provider's costs.
- Broker (the provider quotes the price): commission × amount + provider's spread × amount.
- Both: + fixed fee per order + deposit fee for the chosen payment method on the amount.
- Monthly plan over n months: n executions. With verified Sparplan terms, each execution costs
  the Sparplan fee (percent + fixed) instead of the trading fee and fixed fee; otherwise it is
  computed as n single orders at the standard fees and labelled as such.
- Every part is rounded to the cent (half up); the total is the sum of the rounded parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from kryptowelt.comparisons.figures import DEPOSIT_METHOD_LABELS, FactSet, format_pct
from kryptowelt.core.formatting import format_eur

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

ORDERBOOK = "orderbook"
BROKER = "broker"
NO_TRADING = "none"

ONCE = "einmalig"
MONTHLY = "monatlich"

BASIS_SINGLE = "single"
BASIS_SPARPLAN = "sparplan"


@dataclass(frozen=True)
class Order:
    amount: Decimal
    interval: str = ONCE
    months: int = 1
    method: str = "sepa"
    coin: str = "BTC"

    @property
    def executions(self) -> int:
        return self.months if self.interval == MONTHLY else 1

    @property
    def invested(self) -> Decimal:
        return self.amount * self.executions


@dataclass(frozen=True)
class SparplanTerms:
    available: bool | None = None
    fee_pct: Decimal | None = None
    fee_eur: Decimal | None = None
    min_eur: Decimal | None = None

    @property
    def usable(self) -> bool:
        return self.available is True and self.fee_pct is not None and self.fee_eur is not None


@dataclass(frozen=True)
class FeeSchedule:
    """Verified fees of one provider; None = not verified."""

    pricing: str
    taker_pct: Decimal | None = None
    commission_pct: Decimal | None = None
    spread_pct: Decimal | None = None
    fixed_eur: Decimal | None = None
    deposits: dict[str, tuple[Decimal, Decimal] | None] = field(default_factory=dict)
    sparplan: SparplanTerms = field(default_factory=SparplanTerms)


@dataclass(frozen=True)
class CostPart:
    key: str  # "trading" | "spread" | "fixed" | "deposit"
    label: str
    eur: Decimal
    detail: str


@dataclass(frozen=True)
class CostResult:
    status: str  # "ok" | "missing" | "impossible" | "not_applicable"
    invested: Decimal
    parts: tuple[CostPart, ...] = ()
    missing: tuple[str, ...] = ()  # figure keys that would be needed
    reason: str = ""
    basis: str = BASIS_SINGLE

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def total(self) -> Decimal | None:
        if not self.ok:
            return None
        return sum((part.eur for part in self.parts), Decimal(0))

    @property
    def percent(self) -> Decimal | None:
        """Costs in percent of the invested amount."""
        total = self.total
        if total is None or self.invested <= 0:
            return None
        return total / self.invested * HUNDRED


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _pct(value: Decimal) -> str:
    return format_pct(value)


def _eur(value: Decimal) -> str:
    return format_eur(value)


def _fee(pct: Decimal, eur: Decimal) -> str:
    if pct == 0 and eur == 0:
        return "kostenlos"
    if pct == 0:
        return _eur(eur)
    if eur == 0:
        return _pct(pct)
    return f"{_pct(pct)} + {_eur(eur)}"


def _method(method: str) -> str:
    return DEPOSIT_METHOD_LABELS.get(method, method)


def schedule_from_facts(
    *, facts: FactSet, pricing: str, method: str, coin: str = ""
) -> FeeSchedule:
    """Reads the verified figures of a provider into a FeeSchedule for one payment method."""

    def number(key: str) -> Decimal | None:
        fact = facts.verified(key, coin)
        return None if fact is None else fact.number

    deposit_fact = facts.verified(f"deposit_{method}")
    deposit = None if deposit_fact is None else (deposit_fact.number, deposit_fact.number_eur)
    fee_fact = facts.verified("sparplan_fee")
    available = facts.verified("sparplan")
    return FeeSchedule(
        pricing=pricing,
        taker_pct=number("taker_pct"),
        commission_pct=number("commission_pct"),
        spread_pct=number("spread_pct"),
        fixed_eur=number("fixed_eur"),
        deposits={method: deposit},
        sparplan=SparplanTerms(
            available=None if available is None else available.flag,
            fee_pct=None if fee_fact is None else fee_fact.number,
            fee_eur=None if fee_fact is None else fee_fact.number_eur,
            min_eur=number("sparplan_min_eur"),
        ),
    )


def order_cost(*, schedule: FeeSchedule, order: Order) -> CostResult:
    """Total costs and their parts for an order; never guesses a missing fee."""
    invested = order.invested
    if schedule.pricing == NO_TRADING:
        return CostResult(status="not_applicable", invested=invested, reason="Kein Handel")
    if order.amount <= 0:
        return CostResult(status="impossible", invested=invested, reason="Betrag muss positiv sein")

    use_sparplan = order.interval == MONTHLY and schedule.sparplan.usable
    basis = BASIS_SPARPLAN if use_sparplan else BASIS_SINGLE
    missing: list[str] = []

    if use_sparplan:
        trading_pct = schedule.sparplan.fee_pct
        fixed = schedule.sparplan.fee_eur
        minimum = schedule.sparplan.min_eur
        if minimum is not None and order.amount < minimum:
            return CostResult(
                status="impossible",
                invested=invested,
                reason=f"Mindestrate des Sparplans: {_eur(minimum)}",
                basis=basis,
            )
    else:
        if schedule.pricing == ORDERBOOK:
            trading_pct = schedule.taker_pct
            if trading_pct is None:
                missing.append("taker_pct")
        else:
            trading_pct = schedule.commission_pct
            if trading_pct is None:
                missing.append("commission_pct")
        fixed = schedule.fixed_eur
        if fixed is None:
            missing.append("fixed_eur")

    spread_pct = Decimal(0)
    if schedule.pricing == BROKER:
        if schedule.spread_pct is None:
            missing.append("spread_pct")
        else:
            spread_pct = schedule.spread_pct

    deposit = schedule.deposits.get(order.method)
    if deposit is None:
        missing.append(f"deposit_{order.method}")

    if missing:
        return CostResult(status="missing", invested=invested, missing=tuple(missing), basis=basis)

    n = order.executions
    amount = order.amount
    times = f"{n} × " if n > 1 else ""
    deposit_pct, deposit_eur = deposit
    trading_label = "Sparplan-Gebühr" if use_sparplan else "Handelsgebühr"
    parts = [
        CostPart(
            "trading",
            trading_label,
            _cents(amount * trading_pct / HUNDRED * n),
            f"{times}{_pct(trading_pct)} von {_eur(amount)}",
        ),
        CostPart(
            "spread",
            "Spread/Aufschlag",
            _cents(amount * spread_pct / HUNDRED * n),
            f"{times}{_pct(spread_pct)} von {_eur(amount)}"
            if schedule.pricing == BROKER
            else "Börse mit Orderbuch: kein Aufschlag des Anbieters",
        ),
        CostPart("fixed", "Feste Gebühren", _cents(fixed * n), f"{times}{_eur(fixed)}"),
        CostPart(
            "deposit",
            "Einzahlung",
            _cents((amount * deposit_pct / HUNDRED + deposit_eur) * n),
            f"{times}{_fee(deposit_pct, deposit_eur)} ({_method(order.method)})",
        ),
    ]
    return CostResult(status="ok", invested=invested, parts=tuple(parts), basis=basis)
