"""Readers' forms (GET): filters, cost calculator, score weights, side by side.

Every message is German; invalid input re-renders the page with the message (HTTP 400)."""

import re
from decimal import Decimal, InvalidOperation

from django import forms

from kryptowelt.comparisons import fees, figures, scoring
from kryptowelt.comparisons.kinds import SORTS_TRADING, SPARPLAN_TABLE, STAKING_TABLE, WALLET_TABLE
from kryptowelt.comparisons.selectors import CALCULATOR_COINS

MAX_AMOUNT = Decimal(10_000_000)
MAX_MONTHS = 120
MAX_SIDE_BY_SIDE = 4

_DIGITS = re.compile(r"\d+")
_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?")
_COMMA_DECIMAL = re.compile(r"\d+,\d+")
_DOT_DECIMAL = re.compile(r"\d+\.\d+")


def parse_amount(raw: str) -> Decimal:
    """A euro amount as readers type it: "1000", "1.000", "1000,50", "1.000,50", "1000.50".

    "1.000" is read as a thousand (German grouping). Raises forms.ValidationError with a
    German message for anything else."""
    text = (raw or "").strip().replace("\u00a0", "").replace(" ", "").removesuffix("€")
    if not text:
        raise forms.ValidationError("Bitte einen Betrag in Euro angeben.", code="required")
    if text.startswith("-"):
        raise forms.ValidationError("Der Betrag muss größer als 0 € sein.", code="min")
    if _DIGITS.fullmatch(text):
        normalized = text
    elif _THOUSANDS.fullmatch(text):
        normalized = text.replace(".", "").replace(",", ".")
    elif _COMMA_DECIMAL.fullmatch(text):
        normalized = text.replace(",", ".")
    elif _DOT_DECIMAL.fullmatch(text):
        normalized = text
    else:
        raise forms.ValidationError(
            "Bitte einen Betrag in Euro angeben, z. B. 1000 oder 1.000,50.", code="invalid"
        )
    try:
        amount = Decimal(normalized)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above only let digits in
        raise forms.ValidationError("Bitte einen Betrag in Euro angeben.", code="invalid") from exc
    if amount <= 0:
        raise forms.ValidationError("Der Betrag muss größer als 0 € sein.", code="min")
    if amount > MAX_AMOUNT:
        raise forms.ValidationError("Der Betrag darf höchstens 10.000.000 € betragen.", code="max")
    if amount != amount.quantize(Decimal("0.01")):
        raise forms.ValidationError("Bitte höchstens zwei Nachkommastellen angeben.", code="places")
    return amount


def _int_messages(minimum: int, maximum: int) -> dict:
    return {
        "invalid": "Bitte eine ganze Zahl angeben.",
        "min_value": f"Bitte eine Zahl ab {minimum} angeben.",
        "max_value": f"Bitte höchstens {maximum:,} angeben.".replace(",", "."),
        "required": "Bitte eine Zahl angeben.",
    }


CHOICE_MESSAGES = {"invalid_choice": "Bitte eine der angebotenen Möglichkeiten wählen."}


class FilterForm(forms.Form):
    eu = forms.BooleanField(required=False, label="Mit MiCA-Zulassung (EU-reguliert)")
    sparplan = forms.BooleanField(required=False, label="Mit Sparplan")
    sepa = forms.BooleanField(required=False, label="Einzahlung per SEPA")
    staking = forms.BooleanField(required=False, label="Mit Staking")
    min_coins = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100_000,
        label="Mindestens … Kryptowerte",
        error_messages=_int_messages(0, 100_000),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "z. B. 100"}),
    )
    sortierung = forms.ChoiceField(
        required=False,
        choices=list(SORTS_TRADING.items()),
        label="Sortieren nach",
        error_messages=CHOICE_MESSAGES,
    )

    # Filters that make sense per kind of table (the others are not offered).
    DROPPED = {
        WALLET_TABLE: ("eu", "sparplan", "sepa", "staking"),
        SPARPLAN_TABLE: ("sparplan", "staking"),
        STAKING_TABLE: ("sparplan", "sepa"),
    }

    def __init__(self, *args, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind is not None:
            self.fields["sortierung"].choices = list(kind.sorts.items())
            for name in self.DROPPED.get(kind.table, ()):
                del self.fields[name]

    def filters(self) -> dict:
        """The valid filters as keyword arguments for `selectors.rows_filter`."""
        data = self.cleaned_data
        names = ("eu", "sparplan", "sepa", "staking")
        result = {name: bool(data.get(name)) for name in names if name in self.fields}
        result["min_coins"] = data.get("min_coins")
        return result


class CalculatorForm(forms.Form):
    betrag = forms.CharField(
        label="Betrag in Euro",
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text="Je Kauf bzw. je Monat, z. B. 1000 oder 1.000,50.",
        error_messages={"required": "Bitte einen Betrag in Euro angeben."},
    )
    coin = forms.ChoiceField(
        label="Kryptowert",
        choices=[(key, name) for key, (name, _symbol) in CALCULATOR_COINS.items()],
        error_messages={
            "invalid_choice": "Diesen Kryptowert kennt der Kostenrechner nicht. Möglich sind: "
            + ", ".join(name for name, _symbol in CALCULATOR_COINS.values())
            + "."
        },
    )
    intervall = forms.ChoiceField(
        label="Kauf",
        choices=[(fees.ONCE, "einmalig"), (fees.MONTHLY, "monatlich (Sparplan)")],
        widget=forms.RadioSelect,
        error_messages=CHOICE_MESSAGES,
    )
    dauer = forms.IntegerField(
        label="Dauer in Monaten",
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        error_messages=_int_messages(1, MAX_MONTHS),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="Nur bei monatlichem Kauf.",
    )
    zahlungsweg = forms.ChoiceField(
        label="Einzahlung per",
        required=False,
        choices=list(figures.DEPOSIT_METHODS),
        error_messages=CHOICE_MESSAGES,
    )

    def clean_betrag(self):
        return parse_amount(self.cleaned_data.get("betrag", ""))

    def clean(self):
        cleaned = super().clean()
        monthly = cleaned.get("intervall") == fees.MONTHLY
        if monthly and not cleaned.get("dauer") and "dauer" not in self.errors:
            self.add_error("dauer", "Bitte die Dauer des Sparplans in Monaten angeben.")
        return cleaned

    def order(self) -> fees.Order:
        data = self.cleaned_data
        monthly = data["intervall"] == fees.MONTHLY
        return fees.Order(
            amount=data["betrag"],
            interval=data["intervall"],
            months=data["dauer"] if monthly else 1,
            method=data.get("zahlungsweg") or "sepa",
            coin=CALCULATOR_COINS[data["coin"]][1],
        )


class WeightsForm(forms.Form):
    """Readers' own weights for the score criteria (0–100 each)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in scoring.CRITERIA:
            self.fields[f"gewicht_{criterion.key}"] = forms.IntegerField(
                label=criterion.label,
                required=False,
                min_value=0,
                max_value=100,
                initial=criterion.default_weight,
                error_messages=_int_messages(0, 100),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
            )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        weights = self.weights_from(cleaned)
        if sum(weights.values()) <= 0:
            raise forms.ValidationError("Mindestens ein Gewicht muss größer als 0 sein.")
        return cleaned

    @staticmethod
    def weights_from(cleaned: dict) -> dict[str, int]:
        weights = {}
        for criterion in scoring.CRITERIA:
            value = cleaned.get(f"gewicht_{criterion.key}")
            weights[criterion.key] = criterion.default_weight if value is None else value
        return weights

    def weights(self) -> dict[str, int]:
        return self.weights_from(self.cleaned_data)


def parse_side_by_side(values: list[str], known: set[str]) -> tuple[list[str], list[str]]:
    """Provider slugs from `?anbieter=a,b,c` (or repeated `anbieter=`), and German errors."""
    slugs: list[str] = []
    for value in values:
        for part in value.split(","):
            slug = part.strip().lower()
            if slug and slug not in slugs:
                slugs.append(slug)
    errors = []
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        shown = ", ".join(f"„{slug[:40]}“" for slug in unknown[:5])
        errors.append(f"Diese Anbieter kennen wir nicht: {shown}.")
    if len(slugs) > MAX_SIDE_BY_SIDE:
        errors.append(
            f"Bitte höchstens {MAX_SIDE_BY_SIDE} Anbieter nebeneinander vergleichen "
            f"(gewählt: {len(slugs)})."
        )
    return slugs, errors
