"""Template filters for German formats; thin wrappers around `kryptowelt.core.formatting`."""

from django import template
from django.utils import timezone
from wagtail.rich_text import RichText

from kryptowelt.core import formatting
from kryptowelt.core.blocks import SanitizedRichText

register = template.Library()


def _local(value):
    if value is not None and hasattr(value, "tzinfo") and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def de_date(value):
    return formatting.format_date(_local(value))


@register.filter
def de_date_short(value):
    return formatting.format_date_short(_local(value))


@register.filter
def de_datetime(value):
    return formatting.format_datetime(_local(value))


@register.filter
def de_datetime_short(value):
    return formatting.format_datetime_short(_local(value))


@register.filter
def de_number(value, decimals=2):
    return formatting.format_number(value, int(decimals))


@register.filter
def de_signed(value, decimals=1):
    return formatting.format_number(value, int(decimals), sign=True)


@register.filter
def de_eur(value, decimals=2):
    return formatting.format_eur(value, int(decimals))


@register.filter
def de_price(value):
    return formatting.format_price(value)


@register.filter
def de_percent(value, decimals=1):
    return formatting.format_percent(value, int(decimals))


@register.filter
def de_compact(value, unit=""):
    return formatting.format_compact(value, unit)


@register.filter
def iso_datetime(value):
    """ISO 8601 to the second, as HTML's datetime attribute wants it (no microseconds)."""
    if not value:
        return ""
    return _local(value).replace(microsecond=0).isoformat()


@register.filter
def clean_richtext(value):
    """Rich text from any field or block, rendered through the same sanitiser as article
    paragraphs (core.blocks.SanitizedRichText); use it instead of Wagtail's `richtext`."""
    if value is None:
        return ""
    source = value.source if isinstance(value, RichText) else str(value)
    return SanitizedRichText(source)
