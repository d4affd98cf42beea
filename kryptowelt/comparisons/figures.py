"""The catalogue of figures a provider can carry, and the rules every figure must follow.

A *figure* is one fact about a provider (a fee, a licence, a count) with the public page it
comes from and the date it was checked. Only figures with a source and a check date count as
verified; everything else is shown as "nicht geprüft" and never enters a cost or a score.
How a stored figure is read and shown lives in `facts.py`.

Pure Python (no Django), so the fee model, the score and their tests use it directly."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

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
        "available_de",
        "In Deutschland verfügbar",
        BOOL,
        "regulierung",
        "Nein, wenn der Anbieter Kundinnen und Kunden in Deutschland nicht (mehr) bedient; im "
        "Textfeld der Grund. Solche Anbieter werden gezeigt, aber nie gereiht oder empfohlen.",
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
        "commission_min_eur",
        "Mindestprovision je Order",
        EUR,
        "handel",
        "Broker: Mindestbetrag der Provision je Kauf, falls der Prozentsatz darunter läge.",
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
    FigureSpec(
        "staking_lockup",
        "Sperr- und Kündigungsfrist",
        TEXT,
        "staking",
        "Wie lange gestakte Kryptowerte gebunden sind, z. B. „keine“ oder „bis zu 7 Tage“.",
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

# Figures that may differ per coin (field "Kryptowert"); without a coin the figure is the
# provider-wide default, and a coin-specific figure wins over it.
PER_COIN_KEYS = frozenset(
    {
        "taker_pct",
        "maker_pct",
        "commission_pct",
        "commission_min_eur",
        "spread_pct",
        "fixed_eur",
        "withdrawal_fee",
    }
)
# Units a provider can decline to publish (e.g. a broker's spread): such a figure carries the
# page that shows it is not published, and no value.
PUBLISHABLE_UNITS = (PERCENT, EUR, FEE, COIN_AMOUNT)
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
    unpublished: bool = False,
    effective: dt.date | None = None,
) -> dict[str, str]:
    """German error messages per field for one figure; empty if it is valid.

    The rules editors see in the admin and the import applies to providers.toml."""
    errors: dict[str, str] = {}
    spec = SPECS.get(key)
    if spec is None:
        return {"key": f"Unbekannte Angabe „{key}“."}
    text = (text or "").strip()
    unit = spec.unit
    if unpublished:
        errors.update(_unpublished_errors(spec, number=number, number_eur=number_eur))
    elif unit in (PERCENT, FEE, EUR, COUNT, YEAR, COIN_AMOUNT) and number is None:
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
    if unit == FEE and not unpublished:
        if number_eur is None:
            errors["number_eur"] = "Bitte den festen Betrag in Euro angeben (0, wenn keiner)."
        elif number_eur < 0:
            errors["number_eur"] = "Der Betrag darf nicht negativ sein."
    elif number_eur is not None and unit != FEE:
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
    if coin and key not in PER_COIN_KEYS:
        errors["coin"] = (
            "Ein Kryptowert kann nur bei Handelsgebühren (Maker, Taker, Provision, Spread, feste "
            "Gebühr) und bei der Auszahlungsgebühr stehen."
        )
    if source and checked is None:
        errors["checked"] = "Bitte angeben, wann die Angabe an der Quelle geprüft wurde."
    if checked is not None and checked > today:
        errors["checked"] = "Das Prüfdatum darf nicht in der Zukunft liegen."
    if checked is not None and not source:
        errors["source"] = "Zu einem Prüfdatum gehört die Adresse der Quelle."
    if unpublished and not (source and checked):
        errors.setdefault(
            "source",
            "Dass der Anbieter eine Angabe nicht veröffentlicht, braucht eine Quelle und ein "
            "Prüfdatum (die Seite, auf der die Zahl fehlt).",
        )
    if effective is not None and effective > today:
        errors["effective"] = "Das Datum „gültig seit“ darf nicht in der Zukunft liegen."
    return errors


def _unpublished_errors(spec: FigureSpec, *, number, number_eur) -> dict[str, str]:
    if spec.unit not in PUBLISHABLE_UNITS:
        return {"unpublished": f"„{spec.label}“ kann nicht als „nicht veröffentlicht“ gelten."}
    if number is not None or number_eur is not None:
        return {"number": "Eine nicht veröffentlichte Angabe hat keinen Wert; Feld leer lassen."}
    return {}


def split_list(text: str) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]
