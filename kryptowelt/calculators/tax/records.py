"""The tax engine's records: the reader's transactions going in, disposals, income, yearly
summaries, holdings and open lots coming out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from kryptowelt.calculators.tax.rules import FREIGRENZE_22_NR_3, KIND_LABELS, MAX_ERRORS, ZERO
from kryptowelt.calculators.tax.settings import TaxSettings

# At the same moment, acquisitions come before swaps and swaps before disposals, so that a
# buy and a sale stamped with the same second are matched the natural way round.
_KIND_ORDER = {
    "kauf": 0,
    "staking": 0,
    "lending": 0,
    "airdrop": 0,
    "einnahme": 0,
    "einzahlung": 0,
    "tausch": 1,
    "verkauf": 2,
    "gebuehr": 2,
    "auszahlung": 3,
    "abgang": 2,
}


class TaxInputError(ValueError):
    """The transactions cannot be evaluated; `messages` are German, one per problem, each
    naming the file and row it concerns."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


class Transaction(NamedTuple):
    """One line of the reader's records. `when` is local German time (naive); `price` is
    the euro value of one unit of `coin` (for swaps: of the coin given); `fee` is in euros
    and was paid from the coins or euros of this transaction; `fee_third` is the euro value of
    a fee paid in a third coin (that coin's disposal is a separate "gebuehr" row).

    `file`/`row` name the line in the reader's upload. `price_source` and `price_time` say
    where the euro value comes from and for which moment it holds; `market` marks a market
    valuation (swap, income, coin fee) that the price setting may replace by a daily close;
    `available` is the day an income becomes available (see `settings.REWARD_TIMINGS`)."""

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
    file: str = ""
    fee_third: Decimal = ZERO
    price_source: str = ""
    price_time: dt.datetime | None = None
    market: bool = False
    available: dt.datetime | None = None

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
            self.file,
            self.row,
        )


class LotMatch(NamedTuple):
    """The part of one acquisition lot that a disposal used up."""

    lot_row: int
    lot_file: str
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
    """A sale, swap or fee payment, with the acquisition lots it used up."""

    row: int
    when: dt.datetime
    kind: str
    coin: str
    amount: Decimal
    gross: Decimal  # euro value before fees
    fee: Decimal  # every fee deducted from the proceeds (incl. `fee_third`)
    proceeds: Decimal  # after fees
    cost: Decimal
    # One plain tuple per lot used, in the field order of `LotMatch`; read them through
    # `matches`. Plain tuples of numbers, dates and strings drop out of the garbage
    # collector's bookkeeping, named tuples stay in it: a large report keeps fewer objects
    # that every full collection has to scan.
    parts: tuple[tuple, ...]
    to_coin: str = ""
    to_amount: Decimal = ZERO
    file: str = ""

    @property
    def matches(self) -> tuple[LotMatch, ...]:
        """The parts of the acquisition lots this disposal used up, in the order used."""
        return tuple(map(LotMatch._make, self.parts))

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
        return any(not part[8] for part in self.parts)

    @property
    def has_tax_free_part(self) -> bool:
        return any(part[8] for part in self.parts)

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
    file: str = ""
    price_source: str = ""

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
    # Losses across years (§ 23 Abs. 3 Sätze 7 und 8 EStG, § 10d EStG), all positive:
    loss_added: Decimal = ZERO  # this year's net loss, after any carry-back
    carryback_out: Decimal = ZERO  # part of this year's loss carried back into the last year
    carryback_in: Decimal = ZERO  # next year's loss deducted here
    carryforward_used: Decimal = ZERO  # earlier losses deducted here
    carryforward_end: Decimal = ZERO  # remaining loss at 31 December
    notes: list[str] = field(default_factory=list)

    @property
    def net_taxable(self) -> Decimal:
        """Gains less losses from sales within the holding period."""
        return self.taxable_gains + self.taxable_losses

    @property
    def below_freigrenze(self) -> bool:
        return self.net_taxable < self.freigrenze

    @property
    def taxable_amount(self) -> Decimal:
        """The year's own § 23 result after the Freigrenze: the whole net gain once it reaches
        the Freigrenze, nothing below it; a net loss is shown as such."""
        net = self.net_taxable
        if net < 0:
            return net
        return ZERO if net < self.freigrenze else net

    @property
    def after_losses(self) -> Decimal:
        """§ 23 income after losses of other years were deducted (never below zero)."""
        base = max(self.taxable_amount, ZERO)
        return base - self.carryforward_used - self.carryback_in

    @property
    def losses_deducted(self) -> Decimal:
        """Losses of other years deducted from this year (carry-forward and carry-back)."""
        return self.carryforward_used + self.carryback_in

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


class OpenLot(NamedTuple):
    """A remaining acquisition lot after the last transaction, with the first day on which
    selling it is tax-free (§ 23 Abs. 1 Satz 1 Nr. 2 EStG, §§ 187, 188 BGB)."""

    coin: str
    amount: Decimal
    cost: Decimal
    acquired: dt.date
    kind: str
    row: int
    file: str
    tax_free_from: dt.date

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class TaxReport:
    years: list[YearSummary]
    disposals: list[Disposal]
    incomes: list[Income]
    holdings: list[Holding]
    transaction_count: int
    lots: list[OpenLot] = field(default_factory=list)
    year_end: dict[int, list[Holding]] = field(default_factory=dict)
    settings: TaxSettings = field(default_factory=TaxSettings)
    transfers: list[Transaction] = field(default_factory=list)
    removals: list[Disposal] = field(default_factory=list)  # "abgang": lots used, no gain

    def year(self, year: int) -> YearSummary | None:
        return next((y for y in self.years if y.year == year), None)


def capped(errors: list[str]) -> list[str]:
    """At most `MAX_ERRORS` messages, then a note that there are more."""
    if len(errors) >= MAX_ERRORS:
        return [*errors[:MAX_ERRORS], "Weitere Fehler werden nicht angezeigt."]
    return errors
