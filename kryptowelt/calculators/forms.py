"""Forms of the calculators. Sparplan and Gewinn are GET forms (shareable URLs); every
message a reader sees is German."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone

from kryptowelt.calculators.sparplan.results import INTERVALS
from kryptowelt.calculators.tax_import.parsing import parse_number
from kryptowelt.core.formatting import format_number

MAX_YEARS = 30


class GermanDecimalField(forms.CharField):
    """A number typed the German way ("1.234,56", "0,5") or the English way ("1234.56").

    Not Django's localized DecimalField: it strips every "." as a thousands separator, so a
    shared URL with "betrag=100.5" would mean 1005 €."""

    def __init__(self, *, min_value=None, max_value=None, min_exclusive=False, **kwargs):
        self.min_value, self.max_value, self.min_exclusive = min_value, max_value, min_exclusive
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "40")
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if len(text) > 40:
            raise forms.ValidationError("Bitte höchstens 40 Zeichen eingeben.", code="invalid")
        try:
            number = parse_number(text, style="de")
        except ValueError as exc:
            raise forms.ValidationError(f"„{text}“ ist keine Zahl.", code="invalid") from exc
        if not number.is_finite():
            raise forms.ValidationError("Bitte eine endliche Zahl eingeben.", code="invalid")
        return number

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        low = self.min_value
        if low is not None and (value <= low if self.min_exclusive else value < low):
            relation = "größer als" if self.min_exclusive else "mindestens"
            raise forms.ValidationError(f"Der Wert muss {relation} {_de(low)} sein.")
        if self.max_value is not None and value > self.max_value:
            raise forms.ValidationError(f"Der Wert darf höchstens {_de(self.max_value)} sein.")


def _de(value: Decimal) -> str:
    decimals = 0 if value == value.to_integral_value() else 2
    return format_number(value, decimals)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class SparplanForm(forms.Form):
    coin = forms.ChoiceField(
        label="Kryptowährung",
        error_messages={
            "invalid_choice": "Unbekannte Kryptowährung „%(value)s“ – bitte aus der Liste wählen.",
            "required": "Bitte wählen Sie eine Kryptowährung.",
        },
    )
    betrag = GermanDecimalField(
        label="Sparrate in €",
        min_value=Decimal(0),
        min_exclusive=True,
        max_value=Decimal(1_000_000),
        error_messages={"required": "Bitte geben Sie eine Sparrate ein."},
    )
    intervall = forms.ChoiceField(
        label="Intervall",
        choices=list(INTERVALS.items()),
        error_messages={"invalid_choice": "Unbekanntes Intervall „%(value)s“."},
    )
    start = forms.DateField(
        label="Erste Rate am",
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": "Bitte ein gültiges Datum eingeben (z. B. 01.01.2020)."},
    )
    ende = forms.DateField(
        label="Bewertet am",
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": "Bitte ein gültiges Datum eingeben (z. B. 31.12.2024)."},
    )
    gebuehr = GermanDecimalField(
        label="Gebühr je Ausführung in %",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(10),
        help_text="Prozent der Sparrate, z. B. 1,0",
    )
    gebuehr_fix = GermanDecimalField(
        label="Feste Gebühr je Ausführung in €",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(1000),
    )
    spread = GermanDecimalField(
        label="Spread in %",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(10),
        help_text="Aufschlag auf den Kurs beim Kauf",
    )
    anbieter = forms.ChoiceField(
        label="Gebühr vom Anbieter übernehmen",
        required=False,
        help_text="Nutzt die im Vergleich geprüften Sparplan-Kosten des Anbieters statt der "
        "Gebührenfelder.",
        error_messages={"invalid_choice": "Unbekannter Anbieter „%(value)s“."},
    )

    def __init__(self, *args, coin_choices, providers=None, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coin"].choices = coin_choices
        self.providers = providers or {}
        self.fields["anbieter"].choices = [("", "– eigene Angaben –")] + [
            (slug, provider.name) for slug, provider in self.providers.items()
        ]
        self.today = today or timezone.localdate()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("ende")
        if start and start > self.today:
            self.add_error("start", "Das Startdatum liegt in der Zukunft.")
        if end and end > self.today:
            self.add_error("ende", "Das Enddatum liegt in der Zukunft.")
        if start and end and end < start:
            self.add_error("ende", "Das Enddatum liegt vor dem Startdatum.")
        if start and end and (end - start).days > MAX_YEARS * 366:
            self.add_error("start", f"Bitte höchstens {MAX_YEARS} Jahre auf einmal rechnen.")
        provider = self.providers.get(data.get("anbieter") or "")
        amount = data.get("betrag")
        if provider and provider.min_rate and amount is not None and amount < provider.min_rate:
            self.add_error(
                "betrag",
                f"Die Mindestrate bei {provider.name} beträgt {_de(provider.min_rate)} €.",
            )
        return data


class GewinnForm(forms.Form):
    kaufkurs = GermanDecimalField(
        label="Kaufkurs je Coin in €",
        min_value=Decimal(0),
        min_exclusive=True,
        max_value=Decimal(10) ** 12,
        error_messages={"required": "Bitte geben Sie den Kaufkurs ein."},
    )
    verkaufskurs = GermanDecimalField(
        label="Verkaufskurs je Coin in €",
        min_value=Decimal(0),
        max_value=Decimal(10) ** 12,
        error_messages={"required": "Bitte geben Sie den Verkaufskurs ein."},
    )
    menge = GermanDecimalField(
        label="Menge (Anzahl Coins)",
        min_value=Decimal(0),
        min_exclusive=True,
        max_value=Decimal(10) ** 15,
        error_messages={"required": "Bitte geben Sie die Menge ein."},
    )
    gebuehr_kauf_prozent = GermanDecimalField(
        label="Kaufgebühr in %", required=False, min_value=Decimal(0), max_value=Decimal(50)
    )
    gebuehr_kauf_euro = GermanDecimalField(
        label="Kaufgebühr in €", required=False, min_value=Decimal(0), max_value=Decimal(10) ** 9
    )
    gebuehr_verkauf_prozent = GermanDecimalField(
        label="Verkaufsgebühr in %", required=False, min_value=Decimal(0), max_value=Decimal(50)
    )
    gebuehr_verkauf_euro = GermanDecimalField(
        label="Verkaufsgebühr in €",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(10) ** 9,
    )
    kaufdatum = forms.DateField(
        label="Gekauft am (optional)",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": "Bitte ein gültiges Datum eingeben (z. B. 15.03.2023)."},
    )
    verkaufsdatum = forms.DateField(
        label="Verkauft am (optional)",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": "Bitte ein gültiges Datum eingeben (z. B. 16.03.2024)."},
    )

    def clean(self):
        data = super().clean()
        bought, sold = data.get("kaufdatum"), data.get("verkaufsdatum")
        # A sale date in the future is allowed (planning when a sale becomes tax-free).
        if bought and bought > timezone.localdate():
            self.add_error("kaufdatum", "Das Kaufdatum liegt in der Zukunft.")
        if bought and sold and sold < bought:
            self.add_error("verkaufsdatum", "Der Verkauf liegt vor dem Kauf.")
        return data
