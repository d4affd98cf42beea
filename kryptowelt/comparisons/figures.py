"""The catalogue of figures a provider can carry, and how a sourced figure is read.

A *figure* is one fact about a provider (a fee, a licence, a count) with the public page it
comes from and the date it was checked. Only figures with a source and a check date count as
verified; everything else is shown as "nicht geprüft" and never enters a cost or a score.

Pure Python (no Django), so the fee model, the score and their tests use it directly."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kryptowelt.core.formatting import format_date_short, format_eur, format_number, format_percent

# Figures older than this are marked as stale for readers and listed for editors.
STALE_AFTER_DAYS = 365

PERCENT = "percent"  # 0–100, percent of the order value
EUR = "eur"  # euro amount, >= 0
FEE = "fee"  # percent of the amount plus a fixed euro amount (both >= 0)
COUNT = "count"  # whole number >= 0
YEAR = "year"  # a year
BOOL = "bool"  # yes/no (optionally with a text, e.g. the licensing authority)
TEXT = "text"  # free German text
LIST = "list"  # comma-separated list (coins, intervals)
COIN_AMOUNT = "coin_amount"  # an amount in units of a coin (needs `coin`)

UNIT_LABELS = {
    PERCENT: "Prozent (0 bis 100)",
    EUR: "Euro",
    FEE: "Prozent und fester Euro-Betrag",
    COUNT: "Anzahl",
    YEAR: "Jahr",
    BOOL: "Ja/Nein",
    TEXT: "Text",
    LIST: "Liste, durch Kommas getrennt",
    COIN_AMOUNT: "Menge in Einheiten des Kryptowerts",
}

GROUPS = (
    ("unternehmen", "Unternehmen"),
    ("regulierung", "Regulierung"),
    ("handel", "Handelskosten"),
    ("einzahlung", "Einzahlung"),
    ("auszahlung", "Auszahlung von Kryptowerten"),
    ("sparplan", "Sparplan"),
    ("staking", "Staking"),
    ("sicherheit", "Sicherheit"),
    ("wallet", "Wallet"),
    ("service", "Service"),
)
GROUP_LABELS = dict(GROUPS)

DEPOSIT_METHODS = (
    ("sepa", "SEPA-Überweisung"),
    ("sepa_instant", "SEPA-Echtzeitüberweisung"),
    ("card", "Karte"),
    ("paypal", "PayPal"),
)
DEPOSIT_METHOD_LABELS = dict(DEPOSIT_METHODS)

SPARPLAN_INTERVALS = {
    "taeglich": "täglich",
    "woechentlich": "wöchentlich",
    "zweiwoechentlich": "zweiwöchentlich",
    "monatlich": "monatlich",
    "vierteljaehrlich": "vierteljährlich",
}

COIN_SYMBOL = re.compile(r"^[A-Z0-9]{2,10}$")


@dataclass(frozen=True)
class FigureSpec:
    key: str
    label: str
    unit: str
    group: str
    help: str = ""

    @property
    def per_coin(self) -> bool:
        return self.unit == COIN_AMOUNT


_SPECS = [
    FigureSpec("founded", "Gründungsjahr", YEAR, "unternehmen"),
    FigureSpec(
        "coins",
        "Anzahl Kryptowerte",
        COUNT,
        "unternehmen",
        "Handelbare Kryptowerte; bei Wallets: unterstützte Kryptowerte.",
    ),
    FigureSpec(
        "mica",
        "MiCA-Zulassung",
        BOOL,
        "regulierung",
        "Zulassung als Anbieter von Kryptowerte-Dienstleistungen nach MiCA. Im Textfeld die "
        "Behörde, die sie erteilt hat, z. B. „BaFin (Deutschland)“.",
    ),
    FigureSpec(
        "bafin",
        "BaFin-Erlaubnis",
        TEXT,
        "regulierung",
        "Umfang der Erlaubnis der BaFin, in eigenen Worten.",
    ),
    FigureSpec(
        "maker_pct",
        "Maker-Gebühr",
        PERCENT,
        "handel",
        "Börse: Gebühr für Orders, die ins Orderbuch gestellt werden (niedrigste Stufe).",
    ),
    FigureSpec(
        "taker_pct",
        "Taker-Gebühr",
        PERCENT,
        "handel",
        "Börse: Gebühr für sofort ausgeführte Orders (niedrigste Stufe). Der Kostenrechner "
        "rechnet bei Börsen mit dieser Gebühr.",
    ),
    FigureSpec(
        "commission_pct",
        "Provision je Order",
        PERCENT,
        "handel",
        "Broker: prozentuale Gebühr je Kauf, zusätzlich zum Kurs. 0, wenn keine erhoben wird.",
    ),
    FigureSpec(
        "spread_pct",
        "Spread/Aufschlag des Anbieters",
        PERCENT,
        "handel",
        "Broker: Aufschlag auf den Marktpreis, den der Anbieter einnimmt. Für einen bestimmten "
        "Kryptowert das Feld „Kryptowert“ ausfüllen.",
    ),
    FigureSpec(
        "fixed_eur",
        "Feste Gebühr je Order",
        EUR,
        "handel",
        "Fester Betrag je Kauf (z. B. Fremdkostenpauschale). 0, wenn keine erhoben wird.",
    ),
    *[
        FigureSpec(
            f"deposit_{method}",
            f"Einzahlung per {label}",
            FEE,
            "einzahlung",
            "Gebühr des Anbieters für eine Euro-Einzahlung auf diesem Weg.",
        )
        for method, label in DEPOSIT_METHODS
    ],
    FigureSpec(
        "withdrawal_fee",
        "Auszahlungsgebühr",
        COIN_AMOUNT,
        "auszahlung",
        "Gebühr für die Auszahlung eines Kryptowerts an eine eigene Wallet, in Einheiten dieses "
        "Kryptowerts (Feld „Kryptowert“, z. B. BTC).",
    ),
    FigureSpec("sparplan", "Sparplan angeboten", BOOL, "sparplan"),
    FigureSpec("sparplan_min_eur", "Mindestrate Sparplan", EUR, "sparplan"),
    FigureSpec(
        "sparplan_fee",
        "Kosten je Sparplan-Ausführung",
        FEE,
        "sparplan",
        "Gebühr je Ausführung (Prozent und fester Betrag); ein Spread des Anbieters wird "
        "zusätzlich berechnet.",
    ),
    FigureSpec(
        "sparplan_intervals",
        "Sparplan-Intervalle",
        LIST,
        "sparplan",
        "Erlaubt: " + ", ".join(SPARPLAN_INTERVALS) + ".",
    ),
    FigureSpec("staking", "Staking angeboten", BOOL, "staking"),
    FigureSpec("staking_coins", "Staking-Kryptowerte", LIST, "staking", "Kürzel, z. B. ETH, SOL."),
    FigureSpec(
        "staking_cut_pct",
        "Anteil des Anbieters an Staking-Erträgen",
        PERCENT,
        "staking",
    ),
    FigureSpec("twofa", "Zwei-Faktor-Authentisierung", BOOL, "sicherheit"),
    FigureSpec(
        "cold_storage_pct",
        "Anteil in Cold Storage",
        PERCENT,
        "sicherheit",
        "Anteil der Kundenbestände, die offline verwahrt werden.",
    ),
    FigureSpec("proof_of_reserves", "Reservennachweis (Proof of Reserves)", BOOL, "sicherheit"),
    FigureSpec(
        "insurance",
        "Versicherung der Kundenbestände",
        BOOL,
        "sicherheit",
        "Im Textfeld kurz, was versichert ist.",
    ),
    FigureSpec(
        "device_price_eur",
        "Gerätepreis ab",
        EUR,
        "wallet",
        "Preis des günstigsten aktuellen Geräts im Shop des Herstellers; Software-Wallets: 0.",
    ),
    FigureSpec("open_source", "Quelloffene Firmware/Software", BOOL, "wallet"),
    FigureSpec("secure_element", "Secure-Element-Chip", BOOL, "wallet"),
    FigureSpec("german_support", "Deutschsprachige Hilfe", BOOL, "service"),
]

SPECS: dict[str, FigureSpec] = {spec.key: spec for spec in _SPECS}
FIGURE_CHOICES = [(spec.key, f"{GROUP_LABELS[spec.group]}: {spec.label}") for spec in _SPECS]


def spec_for(key: str) -> FigureSpec:
    return SPECS[key]


# --- validation ------------------------------------------------------------------------------


def figure_errors(
    *,
    key: str,
    number: Decimal | None,
    number_eur: Decimal | None,
    flag: bool | None,
    text: str,
    coin: str,
    source: str,
    checked: dt.date | None,
    today: dt.date,
) -> dict[str, str]:
    """German error messages per field for one figure; empty if it is valid.

    The rules editors see in the admin and the demo loader applies to providers.toml."""
    errors: dict[str, str] = {}
    spec = SPECS.get(key)
    if spec is None:
        return {"key": f"Unbekannte Angabe „{key}“."}
    text = (text or "").strip()
    unit = spec.unit
    if unit in (PERCENT, FEE, EUR, COUNT, YEAR, COIN_AMOUNT) and number is None:
        label = "Prozentwert" if unit in (PERCENT, FEE) else "Wert"
        errors["number"] = f"Für „{spec.label}“ bitte einen {label} angeben."
    elif number is not None and unit in (PERCENT, FEE):
        if number < 0 or number > 100:
            errors["number"] = "Ein Prozentwert muss zwischen 0 und 100 liegen."
    elif number is not None and unit in (EUR, COIN_AMOUNT):
        if number < 0:
            errors["number"] = "Der Betrag darf nicht negativ sein."
    elif number is not None and unit == COUNT:
        if number < 0 or number != number.to_integral_value():
            errors["number"] = "Bitte eine ganze Zahl ab 0 angeben."
    elif (
        number is not None
        and unit == YEAR
        and (number != number.to_integral_value() or not 1900 <= number <= today.year)
    ):
        errors["number"] = f"Bitte ein Jahr zwischen 1900 und {today.year} angeben."
    if unit == FEE:
        if number_eur is None:
            errors["number_eur"] = "Bitte den festen Betrag in Euro angeben (0, wenn keiner)."
        elif number_eur < 0:
            errors["number_eur"] = "Der Betrag darf nicht negativ sein."
    elif number_eur is not None:
        errors["number_eur"] = "Ein fester Euro-Betrag gehört nur zu Gebühren mit Prozent + Euro."
    if unit == BOOL and flag is None:
        errors["flag"] = f"Für „{spec.label}“ bitte Ja oder Nein wählen."
    if unit in (TEXT, LIST) and not text:
        errors["text"] = f"Für „{spec.label}“ bitte einen Text angeben."
    if key == "sparplan_intervals" and text:
        unknown = [item for item in split_list(text) if item not in SPARPLAN_INTERVALS]
        if unknown:
            errors["text"] = "Unbekannte Intervalle: " + ", ".join(unknown) + "."
    if unit == COIN_AMOUNT and not coin:
        errors["coin"] = "Bitte den Kryptowert angeben (Kürzel, z. B. BTC)."
    if coin and not COIN_SYMBOL.match(coin):
        errors["coin"] = "Das Kürzel besteht aus 2 bis 10 Großbuchstaben oder Ziffern, z. B. BTC."
    if coin and key not in ("withdrawal_fee", "spread_pct", "commission_pct"):
        errors["coin"] = (
            "Ein Kryptowert kann nur bei Auszahlungsgebühr, Spread oder Provision stehen."
        )
    if source and checked is None:
        errors["checked"] = "Bitte angeben, wann die Angabe an der Quelle geprüft wurde."
    if checked is not None and checked > today:
        errors["checked"] = "Das Prüfdatum darf nicht in der Zukunft liegen."
    if checked is not None and not source:
        errors["source"] = "Zu einem Prüfdatum gehört die Adresse der Quelle."
    return errors


def split_list(text: str) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


# --- reading figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One figure of one provider, as read from the database or providers.toml."""

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

    @property
    def spec(self) -> FigureSpec:
        return SPECS[self.key]

    @property
    def verified(self) -> bool:
        """Counts for costs and scores: it has a source and a check date."""
        return bool(self.source) and self.checked is not None

    def is_stale(self, today: dt.date) -> bool:
        return self.checked is not None and (today - self.checked).days > STALE_AFTER_DAYS

    @property
    def value(self):
        unit = self.spec.unit
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

    def value(self, key: str, coin: str = ""):
        """The value of a verified figure, or None if it is missing or unsourced."""
        fact = self.verified(key, coin)
        return None if fact is None else fact.value

    def per_coin(self, key: str) -> list[Fact]:
        return sorted(
            (fact for (k, coin), fact in self._facts.items() if k == key and coin),
            key=lambda fact: fact.coin,
        )

    def checked_dates(self) -> list[dt.date]:
        return sorted(fact.checked for fact in self._facts.values() if fact.verified)


def format_checked(value: dt.date | None) -> str:
    return format_date_short(value) if value else ""
