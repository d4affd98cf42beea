"""How a stored figure is read, looked up and shown: `Fact` (one figure of one provider) and
`FactSet` (all figures of a provider, coin-specific values winning over the default).

A fact counts for costs, filters and scores only when it is *verified*: it has a source, a
check date and a value. A fact the provider does not publish (`unpublished`) is documented
(source and date of the page where the figure is missing) but has no value, so it never
counts as zero.

Pure Python (no Django)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kryptowelt.comparisons.figures import (
    BOOL,
    COIN_AMOUNT,
    COUNT,
    EUR,
    FEE,
    LIST,
    PERCENT,
    SPARPLAN_INTERVALS,
    SPECS,
    STALE_AFTER_DAYS,
    TEXT,
    YEAR,
    FigureSpec,
    split_list,
)
from kryptowelt.core.formatting import format_eur, format_number, format_percent

UNPUBLISHED_LABEL = "vom Anbieter nicht veröffentlicht"


@dataclass(frozen=True)
class Fact:
    """One figure of one provider, as read from the database, providers.toml or the register."""

    key: str
    number: Decimal | None = None
    number_eur: Decimal | None = None
    flag: bool | None = None
    text: str = ""
    coin: str = ""
    source: str = ""
    checked: dt.date | None = None
    note: str = ""
    basis: str = ""
    recheck: bool = False
    unpublished: bool = False
    effective: dt.date | None = None

    @property
    def spec(self) -> FigureSpec:
        return SPECS[self.key]

    @property
    def documented(self) -> bool:
        """It has a source and a check date (a value, or the statement that none is published)."""
        return bool(self.source) and self.checked is not None

    @property
    def verified(self) -> bool:
        """Counts for costs, filters and scores: documented and with a value."""
        return self.documented and not self.unpublished

    def is_stale(self, today: dt.date) -> bool:
        return self.checked is not None and (today - self.checked).days > STALE_AFTER_DAYS

    @property
    def effective_label(self) -> str:
        return "zugelassen am" if self.key == "mica" else "gültig seit"

    @property
    def checked_label(self) -> str:
        return "Registerstand" if self.key == "mica" else "Stand"

    @property
    def value(self):
        unit = self.spec.unit
        if self.unpublished:
            return None
        if unit == BOOL:
            return self.flag
        if unit == FEE:
            return (self.number, self.number_eur)
        if unit == TEXT:
            return self.text
        if unit == LIST:
            return split_list(self.text)
        if unit in (COUNT, YEAR) and self.number is not None:
            return int(self.number)
        return self.number

    def display(self) -> str:
        """The value in German formats, e.g. "0,25 %", "1,00 €", "Ja (BaFin)"."""
        return format_value(self.spec, self)


def _trim(value: Decimal) -> Decimal:
    """0.2500 -> 0.25 and 1.00 -> 1 for display without trailing zeros."""
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized == normalized.to_integral() else normalized


def _decimals(value: Decimal, minimum: int = 0) -> int:
    exponent = _trim(value).as_tuple().exponent
    return max(minimum, -exponent if isinstance(exponent, int) and exponent < 0 else 0)


def format_pct(value: Decimal) -> str:
    return format_percent(value, _decimals(value))


def format_value(spec: FigureSpec, fact: Fact) -> str:
    unit = spec.unit
    if fact.unpublished:
        return UNPUBLISHED_LABEL
    if unit in (PERCENT, EUR, COUNT, YEAR, COIN_AMOUNT, FEE) and fact.number is None:
        return "–"
    if unit == FEE and fact.number_eur is None:
        return "–"
    if unit == BOOL and fact.flag is None:
        return "–"
    if unit == PERCENT:
        return format_pct(fact.number)
    if unit == EUR:
        return format_eur(fact.number)
    if unit == FEE:
        pct, eur = fact.number, fact.number_eur
        if pct == 0 and eur == 0:
            return "kostenlos"
        if pct == 0:
            return format_eur(eur)
        if eur == 0:
            return format_pct(pct)
        return f"{format_pct(pct)} + {format_eur(eur)}"
    if unit == COUNT:
        return format_number(fact.number, 0)
    if unit == YEAR:
        return str(int(fact.number))
    if unit == COIN_AMOUNT:
        return f"{format_number(fact.number, _decimals(fact.number))} {fact.coin}"
    if unit == BOOL:
        answer = "Ja" if fact.flag else "Nein"
        return f"{answer} ({fact.text})" if fact.text else answer
    if unit == LIST:
        items = split_list(fact.text)
        if spec.key == "sparplan_intervals":
            items = [SPARPLAN_INTERVALS.get(item, item) for item in items]
        return ", ".join(items)
    return fact.text


class FactSet:
    """All figures of one provider, looked up by key (and coin for per-coin figures)."""

    def __init__(self, facts: Iterable[Fact]):
        self._facts: dict[tuple[str, str], Fact] = {}
        for fact in facts:
            self._facts[(fact.key, fact.coin)] = fact

    def __iter__(self):
        return iter(self._facts.values())

    def __len__(self):
        return len(self._facts)

    def replaced(self, fact: Fact) -> FactSet:
        """A copy in which `fact` takes the place of the figure with the same key and coin."""
        return FactSet([*self._facts.values(), fact])

    def get(self, key: str, coin: str = "") -> Fact | None:
        """The figure for `key`; a coin-specific one wins over the general one."""
        if coin:
            fact = self._facts.get((key, coin))
            if fact is not None:
                return fact
        return self._facts.get((key, ""))

    def verified(self, key: str, coin: str = "") -> Fact | None:
        fact = self.get(key, coin)
        return fact if fact is not None and fact.verified else None

    def unpublished(self, key: str, coin: str = "") -> bool:
        """The provider documentedly does not publish this figure."""
        fact = self.get(key, coin)
        return fact is not None and fact.documented and fact.unpublished

    def value(self, key: str, coin: str = ""):
        """The value of a verified figure, or None if it is missing, unsourced or unpublished."""
        fact = self.verified(key, coin)
        return None if fact is None else fact.value

    def per_coin(self, key: str) -> list[Fact]:
        return sorted(
            (fact for (k, coin), fact in self._facts.items() if k == key and coin),
            key=lambda fact: fact.coin,
        )

    def checked_dates(self) -> list[dt.date]:
        return sorted(fact.checked for fact in self._facts.values() if fact.documented)
