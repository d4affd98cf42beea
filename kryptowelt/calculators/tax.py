"""German income tax on crypto for private investors: FIFO matching, holding period, Freigrenzen.

Pure Python with `Decimal` and no Django, so it is tested and benchmarked on its own. The
rules, as applied here (the tax page explains them to readers, `docs/calculators.md` cites
the sources):

- **Private Veräußerungsgeschäfte (§ 23 Abs. 1 Satz 1 Nr. 2 EStG).** Selling, swapping or
  spending a coin within one year of acquiring it is taxable; after more than one year it is
  not. "More than one year": the period runs from the day after the acquisition (§ 187 Abs. 1
  BGB) and ends with the day of the next year that has the acquisition day's number (§ 188
  Abs. 2 BGB), or the month's last day if there is no such day (§ 188 Abs. 3 BGB: acquired on
  29 February 2024, the period ends on 28 February 2025). A sale on the last day of the
  period is taxable, a sale on the day after is tax-free: bought 2023-03-15, sold 2024-03-15
  is taxable, sold 2024-03-16 is tax-free.
- **FIFO per coin across the whole holding.** Units sold are the units acquired first, over
  all exchanges and wallets together (the BMF letter of 6 March 2025 on crypto assets accepts
  FIFO; we do not offer other methods).
- **Fees.** A fee paid on a purchase adds to the acquisition cost (Anschaffungsnebenkosten);
  a fee paid on a sale or swap reduces the proceeds (Veräußerungskosten). A fee paid *in
  coins* ("Gebühr" rows, e.g. network fees) is a disposal of those coins at their euro value:
  the coins are given away for a service, which § 23 treats like a sale. Such a fee is not
  also deducted as an expense anywhere (a fee that belongs to a sale belongs in that sale's
  fee column instead).
- **Swaps** coin → coin are a sale of the coin given (proceeds: its euro value less fees)
  and a purchase of the coin received at that same net euro value, on the same day.
- **Staking, lending and other income (§ 22 Nr. 3 EStG).** Coins received are income at
  their euro value on receipt and start a new lot with that value as cost, so their holding
  period starts on receipt.
- **Netting and Freigrenzen.** Per calendar year, taxable gains and losses are netted. The
  net gain from private Veräußerungsgeschäfte is tax-free if it is *less than* the Freigrenze
  (§ 23 Abs. 3 Satz 5 EStG: 600 € up to and including 2023, 1,000 € from 2024) and taxable in
  full if it reaches it (a Freigrenze, not a Freibetrag). Income under § 22 Nr. 3 is
  tax-free if it is less than 256 € in the year, in total over all such income.
- **Losses** are netted within the year. A net loss can be carried back one year or forward
  against later § 23 gains (§ 23 Abs. 3 Sätze 7 und 8 EStG); the Finanzamt does this on
  request and we do not compute it.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

ZERO = Decimal(0)

KIND_LABELS = {
    "kauf": "Kauf",
    "verkauf": "Verkauf",
    "tausch": "Tausch",
    "gebuehr": "Gebühr",
    "staking": "Staking",
    "lending": "Lending",
    "einnahme": "Sonstige Einnahme",
}
INCOME_KINDS = frozenset({"staking", "lending", "einnahme"})
DISPOSAL_KINDS = frozenset({"verkauf", "tausch", "gebuehr"})
# At the same moment, acquisitions come before swaps and swaps before disposals, so that a
# buy and a sale stamped with the same second are matched the natural way round.
_KIND_ORDER = {
    "kauf": 0,
    "staking": 0,
    "lending": 0,
    "einnahme": 0,
    "tausch": 1,
    "verkauf": 2,
    "gebuehr": 2,
}
FIAT = frozenset({"EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD"})

FREIGRENZE_22_NR_3 = Decimal(256)
MAX_ERRORS = 50
# Euro amounts are kept to 1e-10 € inside the engine, so that the parts of a sale add up to
# the sale exactly (Decimal's 28 digits then hold any realistic amount without rounding).
MONEY = Decimal("1e-10")
MAX_VALUE = Decimal("1e14")


def money(value: Decimal) -> Decimal:
    return value.quantize(MONEY)


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building large acyclic structures.

    Reading and matching 100,000 transactions creates a few hundred thousand small objects;
    the collector would scan them again and again, which costs about as much time as the
    work itself. Nothing here creates reference cycles, so nothing is lost by waiting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freigrenze_23(year: int) -> Decimal:
    """§ 23 Abs. 3 Satz 5 EStG: 600 € up to 2023, 1,000 € from 2024 (Wachstumschancengesetz)."""
    return Decimal(1000) if year >= 2024 else Decimal(600)


def holding_period_end(acquired: dt.date) -> dt.date:
    """The last day on which a sale is still within the one-year period (§§ 187, 188 BGB)."""
    try:
        return acquired.replace(year=acquired.year + 1)
    except ValueError:  # 29 February → 28 February (§ 188 Abs. 3 BGB)
        return dt.date(acquired.year + 1, acquired.month, 28)


def is_tax_free(*, acquired: dt.date, sold: dt.date) -> bool:
    """More than one year between acquisition and sale: outside § 23 EStG."""
    return sold > holding_period_end(acquired)


class TaxInputError(ValueError):
    """The transactions cannot be evaluated; `messages` are German, one per problem, each
    naming the row it concerns."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


class Transaction(NamedTuple):
    """One line of the reader's records. `when` is local German time (naive); `price` is
    the euro value of one unit of `coin` (for swaps: of the coin given); `fee` is in euros."""

    row: int
    when: dt.datetime
    kind: str
    coin: str
    amount: Decimal
    price: Decimal
    fee: Decimal = ZERO
    to_coin: str = ""
    to_amount: Decimal = ZERO
    source: str = ""

    @property
    def value(self) -> Decimal:
        return self.amount * self.price

    def sort_key(self) -> tuple:
        # Everything that distinguishes two transactions, so that the order in which they
        # were entered never changes the result.
        return (
            self.when,
            _KIND_ORDER[self.kind],
            self.kind,
            self.coin,
            self.to_coin,
            self.amount,
            self.price,
            self.fee,
            self.to_amount,
            self.row,
        )


@dataclass(slots=True)
class _Lot:
    row: int
    acquired: dt.date
    kind: str
    amount: Decimal
    cost: Decimal


class LotMatch(NamedTuple):
    """The part of one acquisition lot that a disposal used up."""

    lot_row: int
    acquired: dt.date
    acquired_kind: str
    amount: Decimal
    cost: Decimal
    proceeds: Decimal
    holding_days: int
    tax_free: bool

    @property
    def gain(self) -> Decimal:
        return self.proceeds - self.cost

    @property
    def acquired_label(self) -> str:
        return KIND_LABELS[self.acquired_kind]


class Disposal(NamedTuple):
    row: int
    when: dt.datetime
    kind: str
    coin: str
    amount: Decimal
    gross: Decimal  # euro value before fees
    fee: Decimal
    proceeds: Decimal  # after fees
    cost: Decimal
    matches: tuple[LotMatch, ...]
    to_coin: str = ""
    to_amount: Decimal = ZERO

    @property
    def gain(self) -> Decimal:
        return self.proceeds - self.cost

    @property
    def taxable_gain(self) -> Decimal:
        return sum((m.gain for m in self.matches if not m.tax_free), ZERO)

    @property
    def tax_free_gain(self) -> Decimal:
        return sum((m.gain for m in self.matches if m.tax_free), ZERO)

    @property
    def has_taxable_part(self) -> bool:
        return any(not m.tax_free for m in self.matches)

    @property
    def has_tax_free_part(self) -> bool:
        return any(m.tax_free for m in self.matches)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


class Income(NamedTuple):
    row: int
    when: dt.datetime
    kind: str
    coin: str
    amount: Decimal
    value: Decimal

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class YearSummary:
    year: int
    freigrenze: Decimal
    taxable_gains: Decimal = ZERO  # sum of gains within the holding period
    taxable_losses: Decimal = ZERO  # sum of losses within the holding period (negative)
    tax_free_gains: Decimal = ZERO  # result of sales after more than a year (may be < 0)
    income: Decimal = ZERO  # § 22 Nr. 3
    income_by_kind: dict[str, Decimal] = field(default_factory=dict)
    disposals: list[Disposal] = field(default_factory=list)
    incomes: list[Income] = field(default_factory=list)

    @property
    def net_taxable(self) -> Decimal:
        """Gains less losses from sales within the holding period."""
        return self.taxable_gains + self.taxable_losses

    @property
    def below_freigrenze(self) -> bool:
        return self.net_taxable < self.freigrenze

    @property
    def taxable_amount(self) -> Decimal:
        """What goes into the tax return as § 23 income: the whole net gain once it reaches
        the Freigrenze, nothing below it; a net loss is shown as such."""
        net = self.net_taxable
        if net < 0:
            return net
        return ZERO if net < self.freigrenze else net

    @property
    def income_freigrenze(self) -> Decimal:
        return FREIGRENZE_22_NR_3

    @property
    def income_taxable(self) -> Decimal:
        return ZERO if self.income < FREIGRENZE_22_NR_3 else self.income

    @property
    def is_loss(self) -> bool:
        return self.net_taxable < 0


@dataclass(frozen=True)
class Holding:
    coin: str
    amount: Decimal
    cost: Decimal
    oldest: dt.date | None
    tax_free_from: dt.date | None  # first day the oldest lot can be sold tax-free


@dataclass
class TaxReport:
    years: list[YearSummary]
    disposals: list[Disposal]
    incomes: list[Income]
    holdings: list[Holding]
    transaction_count: int

    def year(self, year: int) -> YearSummary | None:
        return next((y for y in self.years if y.year == year), None)


def _validate(tx: Transaction, today: dt.date | None) -> str | None:
    where = f"Zeile {tx.row}: " if tx.row else ""
    if tx.kind not in KIND_LABELS:
        return f"{where}unbekannte Art „{tx.kind}“."
    if not tx.coin:
        return f"{where}Coin fehlt."
    if tx.coin in FIAT:
        return (
            f"{where}„{tx.coin}“ ist eine gesetzliche Währung, keine Kryptowährung – "
            "tragen Sie den gekauften oder verkauften Coin ein."
        )
    if tx.amount <= 0:
        return f"{where}die Menge muss größer als 0 sein."
    if tx.price < 0:
        return f"{where}der Preis kann nicht negativ sein."
    if tx.fee < 0:
        return f"{where}die Gebühr kann nicht negativ sein."
    if today is not None and tx.when.date() > today:
        return f"{where}das Datum {_short(tx.when.date())} liegt in der Zukunft."
    if tx.kind == "tausch":
        if not tx.to_coin or tx.to_amount <= 0:
            return f"{where}bei einem Tausch fehlen Ziel-Coin oder Ziel-Menge."
        if tx.to_coin == tx.coin:
            return f"{where}Tausch von {tx.coin} in {tx.coin} ist kein Tausch."
    if tx.value > MAX_VALUE or tx.fee > MAX_VALUE or tx.to_amount > MAX_VALUE:
        return f"{where}der Betrag ist unrealistisch groß."
    if tx.kind in {"verkauf", "tausch"} and tx.fee > tx.value:
        return f"{where}die Gebühr ist höher als der Wert des Geschäfts."
    return None


def tax_report(*, transactions: Iterable[Transaction], today: dt.date | None = None) -> TaxReport:
    """Match disposals to acquisitions (FIFO per coin) and sum up each calendar year.

    Raises `TaxInputError` naming every problem row (at most `MAX_ERRORS`), e.g. a sale of
    more coins than were held at that moment or a date in the future."""
    with collection_paused():
        return _tax_report(list(transactions), today)


def _tax_report(items: list[Transaction], today: dt.date | None) -> TaxReport:
    errors: list[str] = []
    for tx in items:
        problem = _validate(tx, today)
        if problem:
            errors.append(problem)
            if len(errors) >= MAX_ERRORS:
                break
    if errors:
        raise TaxInputError(_capped(errors, len(items)))

    items.sort(key=Transaction.sort_key)
    lots: dict[str, deque[_Lot]] = {}
    held: dict[str, Decimal] = {}
    disposals: list[Disposal] = []
    incomes: list[Income] = []

    def acquire(coin: str, row: int, day: dt.date, kind: str, amount: Decimal, cost: Decimal):
        lots.setdefault(coin, deque()).append(_Lot(row, day, kind, amount, money(cost)))
        held[coin] = held.get(coin, ZERO) + amount

    for tx in items:
        day = tx.when.date()
        if tx.kind == "kauf":
            acquire(tx.coin, tx.row, day, tx.kind, tx.amount, tx.value + tx.fee)
            continue
        if tx.kind in INCOME_KINDS:
            acquire(tx.coin, tx.row, day, tx.kind, tx.amount, tx.value)
            incomes.append(Income(tx.row, tx.when, tx.kind, tx.coin, tx.amount, money(tx.value)))
            continue
        # Disposals: verkauf, tausch, gebuehr.
        available = held.get(tx.coin, ZERO)
        if tx.amount > available:
            errors.append(_oversold_message(tx, available))
            if len(errors) >= MAX_ERRORS:
                break
            continue
        gross = money(tx.value)
        fee = ZERO if tx.kind == "gebuehr" else money(tx.fee)
        proceeds = gross - fee
        matches = _take_fifo(lots[tx.coin], tx.amount, proceeds, day)
        held[tx.coin] = available - tx.amount
        cost = sum((m.cost for m in matches), ZERO)
        disposals.append(
            Disposal(
                row=tx.row,
                when=tx.when,
                kind=tx.kind,
                coin=tx.coin,
                amount=tx.amount,
                gross=gross,
                fee=fee,
                proceeds=proceeds,
                cost=cost,
                matches=tuple(matches),
                to_coin=tx.to_coin,
                to_amount=tx.to_amount,
            )
        )
        if tx.kind == "tausch" and tx.to_coin not in FIAT:
            acquire(tx.to_coin, tx.row, day, "tausch", tx.to_amount, proceeds)
    if errors:
        raise TaxInputError(_capped(errors, len(items)))

    years: dict[int, YearSummary] = {}

    def summary(year: int) -> YearSummary:
        if year not in years:
            years[year] = YearSummary(year=year, freigrenze=freigrenze_23(year))
        return years[year]

    for disposal in disposals:
        year = summary(disposal.when.year)
        year.disposals.append(disposal)
        for match in disposal.matches:
            gain = match.gain
            if match.tax_free:
                year.tax_free_gains += gain
            elif gain >= 0:
                year.taxable_gains += gain
            else:
                year.taxable_losses += gain
    for income in incomes:
        year = summary(income.when.year)
        year.incomes.append(income)
        year.income += income.value
        year.income_by_kind[income.kind] = year.income_by_kind.get(income.kind, ZERO) + (
            income.value
        )

    holdings = []
    for coin in sorted(lots):
        queue = lots[coin]
        amount = sum((lot.amount for lot in queue), ZERO)
        if amount <= 0:
            continue
        oldest = queue[0].acquired if queue else None
        holdings.append(
            Holding(
                coin=coin,
                amount=amount,
                cost=sum((lot.cost for lot in queue), ZERO),
                oldest=oldest,
                tax_free_from=holding_period_end(oldest) + dt.timedelta(days=1) if oldest else None,
            )
        )
    return TaxReport(
        years=[years[y] for y in sorted(years)],
        disposals=disposals,
        incomes=incomes,
        holdings=holdings,
        transaction_count=len(items),
    )


def _take_fifo(
    queue: deque[_Lot], amount: Decimal, proceeds: Decimal, sold: dt.date
) -> list[LotMatch]:
    """Use up `amount` from the oldest lots; split `proceeds` in proportion to the amounts
    (the last part gets the remainder, so the parts add up exactly)."""
    matches: list[LotMatch] = []
    remaining = amount
    proceeds_left = proceeds
    while remaining > 0:
        lot = queue[0]
        if lot.amount <= remaining:
            take, cost = lot.amount, lot.cost
            queue.popleft()
        else:
            take = remaining
            cost = money(lot.cost * take / lot.amount)
            lot.amount -= take
            lot.cost -= cost
        remaining -= take
        part = proceeds_left if remaining == 0 else money(proceeds * take / amount)
        proceeds_left -= part
        matches.append(
            LotMatch(
                lot_row=lot.row,
                acquired=lot.acquired,
                acquired_kind=lot.kind,
                amount=take,
                cost=cost,
                proceeds=part,
                holding_days=(sold - lot.acquired).days,
                tax_free=is_tax_free(acquired=lot.acquired, sold=sold),
            )
        )
    return matches


def _oversold_message(tx: Transaction, available: Decimal) -> str:
    where = f"Zeile {tx.row}: " if tx.row else ""
    verb = {"verkauf": "Verkauf", "tausch": "Tausch", "gebuehr": "Gebühr"}[tx.kind]
    return (
        f"{where}{verb} von {_amount(tx.amount)} {tx.coin} am {_short(tx.when.date())}, "
        f"aber zu diesem Zeitpunkt sind nur {_amount(available)} {tx.coin} im Bestand. "
        "Fehlen Käufe, Einnahmen oder Zeilen aus einer anderen Börse?"
    )


def _capped(errors: list[str], total: int) -> list[str]:
    if len(errors) >= MAX_ERRORS:
        return [*errors[:MAX_ERRORS], "Weitere Fehler werden nicht angezeigt."]
    return errors


def _short(day: dt.date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def _amount(value: Decimal) -> str:
    """German, without needless zeros: 1.5 -> "1,5", 1234.5 -> "1.234,5"."""
    text = format(value.normalize(), "f")
    integer, _, fraction = text.partition(".")
    sign = "-" if integer.startswith("-") else ""
    integer = integer.lstrip("-")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    result = sign + ".".join(groups)
    return f"{result},{fraction}" if fraction else result
