"""Template filters of the calculators (German formats beyond `kw_format`)."""

from decimal import Decimal

from django import template

from kryptowelt.calculators.tax.text import german_amount
from kryptowelt.core.formatting import to_decimal

register = template.Library()


@register.filter
def de_amount(value, places=8):
    """A coin amount in German notation without needless zeros: 0.50000 -> "0,5",
    rounded to `places` decimals: 0.123456789 -> "0,12345679"."""
    number = to_decimal(value)
    if number is None or not number.is_finite():
        return "–"
    quantum = Decimal(1).scaleb(-int(places))
    return german_amount(number.quantize(quantum) if abs(number) < Decimal("1e15") else number)
