"""The fee model: what one order (or a monthly plan) costs at one provider, and why.

Pure Python with Decimal arithmetic; no Django. A fee that is not verified is `None` here and
is never treated as zero: the result then says which figures are missing instead of a total,
and gives the sum of the parts that are known as a lower bound ("mindestens X € + Spread").

Model (published on /vergleich/methodik/):

- Börse (order book): trading fee = taker fee × amount. The market spread goes to other
  traders, not to the provider, and is not part of the provider's costs.
- Broker (the provider quotes the price): commission × amount (at least the minimum commission
  where one is published) + provider's spread × amount.
- Both: + fixed fee per order + deposit fee for the chosen payment method on the amount.
- Monthly plan over n months: n executions. With verified Sparplan terms, each execution costs
  the Sparplan fee (percent + fixed) instead of the trading fee and fixed fee; otherwise it is
  computed as n single orders at the standard fees and labelled as such.
- Every part is rounded to the cent (half up); the total is the sum of the rounded parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from kryptowelt.comparisons.facts import FactSet, format_pct
from kryptowelt.comparisons.figures import DEPOSIT_METHOD_LABELS, SPECS
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
    commission_min_eur: Decimal | None = None  # optional: None = no minimum known
    unpublished: frozenset[str] = frozenset()  # figure keys the provider does not publish


@dataclass(frozen=True)
class CostPart:
    key: str  # "trading" | "spread" | "fixed" | "deposit"
    label: str
    eur: Decimal
    detail: str
    from_figure: bool = True  # False: zero by the model (an exchange takes no spread)


@dataclass(frozen=True)
class CostResult:
    status: str  # "ok" | "missing" | "impossible" | "not_applicable"
    invested: Decimal
    parts: tuple[CostPart, ...] = ()  # "missing": only the parts that are known
    missing: tuple[str, ...] = ()  # figure keys that would be needed
    reason: str = ""
    basis: str = BASIS_SINGLE
    unpublished: tuple[str, ...] = ()  # the missing keys the provider does not publish

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def total(self) -> Decimal | None:
        if not self.ok:
            return None
        return sum((part.eur for part in self.parts), Decimal(0))

    @property
    def minimum(self) -> Decimal | None:
        """Lower bound of an incomplete result: the sum of the parts that are known; None when
        no fee of the provider is known (or the result is complete)."""
        if self.status != "missing" or not any(part.from_figure for part in self.parts):
            return None
        return sum((part.eur for part in self.parts), Decimal(0))

    @property
    def unchecked(self) -> tuple[str, ...]:
        """The missing keys that are simply not checked (as opposed to not published)."""
        return tuple(key for key in self.missing if key not in self.unpublished)

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

    deposit_key = f"deposit_{method}"
    deposit_fact = facts.verified(deposit_key)
    deposit = None if deposit_fact is None else (deposit_fact.number, deposit_fact.number_eur)
    fee_fact = facts.verified("sparplan_fee")
    available = facts.verified("sparplan")
    keys = ("taker_pct", "commission_pct", "spread_pct", "fixed_eur", deposit_key, "sparplan_fee")
    return FeeSchedule(
        pricing=pricing,
        taker_pct=number("taker_pct"),
        commission_pct=number("commission_pct"),
        commission_min_eur=number("commission_min_eur"),
        spread_pct=number("spread_pct"),
        fixed_eur=number("fixed_eur"),
        unpublished=frozenset(key for key in keys if facts.unpublished(key, coin)),
        deposits={method: deposit},
        sparplan=SparplanTerms(
            available=None if available is None else available.flag,
            fee_pct=None if fee_fact is None else fee_fact.number,
            fee_eur=None if fee_fact is None else fee_fact.number_eur,
            min_eur=number("sparplan_min_eur"),
        ),
    )


def order_cost(*, schedule: FeeSchedule, order: Order) -> CostResult:
    """Total costs and their parts for an order; never guesses a missing fee.

    With a fee missing, the result is "missing": it names the missing figures (and which of
    them the provider does not publish) and keeps the known parts as a lower bound."""
    invested = order.invested
    if schedule.pricing == NO_TRADING:
        return CostResult(status="not_applicable", invested=invested, reason="Kein Handel")
    if order.amount <= 0:
        return CostResult(status="impossible", invested=invested, reason="Betrag muss positiv sein")

    use_sparplan = order.interval == MONTHLY and schedule.sparplan.usable
    basis = BASIS_SPARPLAN if use_sparplan else BASIS_SINGLE
    if use_sparplan:
        minimum = schedule.sparplan.min_eur
        if minimum is not None and order.amount < minimum:
            return CostResult(
                status="impossible",
                invested=invested,
                reason=f"Mindestrate des Sparplans: {_eur(minimum)}",
                basis=basis,
            )

    n = order.executions
    amount = order.amount
    times = f"{n} × " if n > 1 else ""
    missing: list[str] = []
    parts: list[CostPart] = []

    trading = _trading_part(schedule, amount=amount, n=n, use_sparplan=use_sparplan)
    if isinstance(trading, str):
        missing.append(trading)
    else:
        parts.append(trading)

    if schedule.pricing != BROKER:
        parts.append(
            CostPart(
                "spread",
                "Spread/Aufschlag",
                Decimal(0),
                "Börse mit Orderbuch: kein Aufschlag des Anbieters",
                from_figure=False,
            )
        )
    elif schedule.spread_pct is None:
        missing.append("spread_pct")
    else:
        pct = schedule.spread_pct
        parts.append(
            CostPart(
                "spread",
                "Spread/Aufschlag",
                _cents(amount * pct / HUNDRED * n),
                f"{times}{_pct(pct)} von {_eur(amount)}",
            )
        )

    fixed = schedule.sparplan.fee_eur if use_sparplan else schedule.fixed_eur
    if fixed is None:
        missing.append("fixed_eur")
    else:
        parts.append(
            CostPart("fixed", "Feste Gebühren", _cents(fixed * n), f"{times}{_eur(fixed)}")
        )

    deposit = schedule.deposits.get(order.method)
    if deposit is None:
        missing.append(f"deposit_{order.method}")
    else:
        deposit_pct, deposit_eur = deposit
        parts.append(
            CostPart(
                "deposit",
                "Einzahlung",
                _cents((amount * deposit_pct / HUNDRED + deposit_eur) * n),
                f"{times}{_fee(deposit_pct, deposit_eur)} ({_method(order.method)})",
            )
        )

    if missing:
        return CostResult(
            status="missing",
            invested=invested,
            parts=tuple(parts),
            missing=tuple(missing),
            unpublished=tuple(key for key in missing if key in schedule.unpublished),
            basis=basis,
        )
    return CostResult(status="ok", invested=invested, parts=tuple(parts), basis=basis)


def _trading_part(
    schedule: FeeSchedule, *, amount: Decimal, n: int, use_sparplan: bool
) -> CostPart | str:
    """The trading fee part, or the key of the missing figure."""
    times = f"{n} × " if n > 1 else ""
    if use_sparplan:
        pct, label, minimum = schedule.sparplan.fee_pct, "Sparplan-Gebühr", None
    elif schedule.pricing == ORDERBOOK:
        pct, label, minimum = schedule.taker_pct, "Handelsgebühr", None
        if pct is None:
            return "taker_pct"
    else:
        pct, label, minimum = schedule.commission_pct, "Handelsgebühr", schedule.commission_min_eur
        if pct is None:
            return "commission_pct"
    each = amount * pct / HUNDRED
    detail = f"{times}{_pct(pct)} von {_eur(amount)}"
    if minimum is not None and each < minimum:
        each = minimum
        detail = (
            f"{times}Mindestprovision {_eur(minimum)} ({_pct(pct)} von {_eur(amount)} wäre weniger)"
        )
    return CostPart("trading", label, _cents(each * n), detail)


# --- what is missing, in words ---------------------------------------------------------------

MISSING_LABELS = {
    "taker_pct": "Taker-Gebühr",
    "commission_pct": "Provision",
    "spread_pct": "Spread",
    "fixed_eur": "feste Gebühr je Order",
}


def missing_label(key: str) -> str:
    if key in MISSING_LABELS:
        return MISSING_LABELS[key]
    return SPECS[key].label if key in SPECS else key


def missing_parts(result: CostResult) -> list[dict]:
    """The missing parts of a cost result, each with why it is missing."""
    return [
        {
            "key": key,
            "label": missing_label(key),
            "unpublished": key in result.unpublished,
            "reason": "vom Anbieter nicht veröffentlicht"
            if key in result.unpublished
            else "nicht geprüft",
        }
        for key in result.missing
    ]
