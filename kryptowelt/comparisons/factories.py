"""Builders for tests and benchmarks: providers with sourced figures."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from kryptowelt.comparisons import figures as catalogue
from kryptowelt.comparisons.models import Provider, ProviderFigure

_counter = itertools.count(1)
SOURCE = "https://example.org/preisverzeichnis"


def figure(key, value=None, *, eur=None, text="", coin="", checked=None, source=SOURCE, **extra):
    """Keyword arguments for a ProviderFigure: numbers, booleans or text by type of value."""
    data = {"key": key, "coin": coin, "text": text, "source": source, **extra}
    data["checked"] = (
        checked if checked is not None else timezone.localdate() - dt.timedelta(days=30)
    )
    if not source:
        data["checked"] = None
    unit = catalogue.SPECS[key].unit
    if isinstance(value, bool):
        data["flag"] = value
    elif unit in (catalogue.TEXT, catalogue.LIST):
        data["text"] = value
    elif value is not None:
        data["number"] = Decimal(str(value))
    if eur is not None:
        data["number_eur"] = Decimal(str(eur))
    return data


def provider_make(*, name=None, slug=None, figures=(), publish=True, **fields) -> Provider:
    number = next(_counter)
    name = name or f"Testbörse {number}"
    fields.setdefault("kind_exchange", True)
    fields.setdefault("pricing", "orderbook")
    provider = Provider(name=name, slug=slug or f"testboerse-{number}", live=publish, **fields)
    for position, data in enumerate(figures):
        provider.figures.add(ProviderFigure(sort_order=position, **data))
    provider.save()
    revision = provider.save_revision()
    if publish:
        revision.publish()
    return provider
