"""The alert form of the coin pages: German numbers ("1.234,56", "1234,56"), an address
without tricks (core/optin.py: no line breaks, no overlong names), thresholds that can
make sense."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from kryptowelt.alerts.models import MAX_ADDRESS_LENGTH, PriceAlert
from kryptowelt.core.optin import AddressInvalid, address_normalise
from kryptowelt.markets.coingecko.payloads import COIN_ID_RE
from kryptowelt.markets.converter import AmountError, parse_amount

# What the form calls the kinds (short, in German) and the stored value.
KIND_FIELD = {
    "ueber": PriceAlert.ABOVE,
    "unter": PriceAlert.BELOW,
    "prozent": PriceAlert.CHANGE_24H,
}
MAX_PRICE = Decimal("1e12")
MIN_PERCENT, MAX_PERCENT = Decimal("0.1"), Decimal("1000")
MAX_DECIMALS = 18
# A price threshold this many times above or below the current price is a typo.
MAX_PRICE_FACTOR = Decimal(1000)


class AlertForm(forms.Form):
    adresse = forms.CharField(strip=False, required=False, max_length=1000)
    coin = forms.CharField(required=False, max_length=200)
    art = forms.CharField(required=False, max_length=20)
    schwelle = forms.CharField(required=False, max_length=64)

    def clean_adresse(self) -> str:
        try:
            return address_normalise(
                self.cleaned_data.get("adresse", ""), max_length=MAX_ADDRESS_LENGTH
            )
        except AddressInvalid as error:
            raise ValidationError(str(error)) from error

    def clean_coin(self) -> str:
        value = (self.cleaned_data.get("coin") or "").strip()
        if not COIN_ID_RE.match(value):
            raise ValidationError("Diese Kryptowährung kennen wir nicht.")
        return value

    def clean_art(self) -> str:
        value = self.cleaned_data.get("art") or ""
        if value not in KIND_FIELD:
            raise ValidationError("Bitte wählen Sie „über“, „unter“ oder „± % in 24 h“.")
        return KIND_FIELD[value]

    def clean_schwelle(self) -> Decimal:
        raw = self.cleaned_data.get("schwelle") or ""
        if raw.strip().startswith("-"):
            raise ValidationError("Bitte eine positive Zahl eingeben.")
        try:
            value = parse_amount(raw.replace("%", ""))
        except AmountError as exc:
            message = str(exc).replace("eine Menge", "eine Schwelle")
            raise ValidationError(message) from exc
        if value <= 0:
            raise ValidationError("Die Schwelle muss größer als null sein.")
        if -value.as_tuple().exponent > MAX_DECIMALS:
            raise ValidationError(f"Bitte höchstens {MAX_DECIMALS} Nachkommastellen eingeben.")
        return value

    def clean(self):
        data = super().clean()
        kind, value = data.get("art"), data.get("schwelle")
        if kind is None or value is None:
            return data
        if kind == PriceAlert.CHANGE_24H:
            if not MIN_PERCENT <= value <= MAX_PERCENT:
                self.add_error(
                    "schwelle", "Bitte eine Veränderung zwischen 0,1 und 1.000 Prozent eingeben."
                )
        elif value > MAX_PRICE:
            self.add_error("schwelle", "Diese Schwelle ist unrealistisch hoch.")
        return data

    def check_against(self, *, price: Decimal | None, change_24h: Decimal | None) -> None:
        """Errors for a threshold the current figures make pointless (already reached, or a
        thousand times away from the price: a typo)."""
        kind, value = self.cleaned_data.get("art"), self.cleaned_data.get("schwelle")
        if kind is None or value is None:
            return
        if kind == PriceAlert.CHANGE_24H:
            if change_24h is not None and abs(change_24h) >= value:
                self.add_error(
                    "schwelle",
                    "Die Veränderung in 24 Stunden ist bereits so groß; bitte eine höhere Schwelle wählen.",
                )
            return
        if price is None or price <= 0:
            return
        if value > price * MAX_PRICE_FACTOR or value < price / MAX_PRICE_FACTOR:
            self.add_error(
                "schwelle", "Diese Schwelle liegt unrealistisch weit vom aktuellen Kurs entfernt."
            )
        elif kind == PriceAlert.ABOVE and price >= value:
            self.add_error("schwelle", "Der Kurs liegt bereits über dieser Schwelle.")
        elif kind == PriceAlert.BELOW and price <= value:
            self.add_error("schwelle", "Der Kurs liegt bereits unter dieser Schwelle.")
