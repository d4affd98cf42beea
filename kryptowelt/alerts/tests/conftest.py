"""Fixtures of the alerts tests: the site with /kursalarm/, and syncs through the fake
CoinGecko (recorded payloads, kryptowelt/markets/tests) with the figures a test needs."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from kryptowelt.alerts.loaders import load_alert_page
from kryptowelt.markets.services.sync import coin_markets_sync
from kryptowelt.markets.tests.fakes import FakeCoinGecko, make_client, payload

URL_RE = re.compile(r"https?://testserver(/kursalarm/[^\s\"<>]+)")


@pytest.fixture
def alert_site(home, settings):
    """The home page's site plus /kursalarm/; a generous POST limit (its own test lowers it)."""
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "1000/m"
    load_alert_page(home=home)
    return home


def market_sync(*, price=None, change_24h=None, age=dt.timedelta(0)):
    """One price sync whose Bitcoin entry has `price` € (default: recorded 81.234,56 €),
    `change_24h` % and data `age` old; the other recorded coins unchanged but as fresh."""
    entries = payload("coins_markets_eur.json")
    stamp = (timezone.now() - age).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    for entry in entries:
        entry["last_updated"] = stamp
        if entry["id"] == "bitcoin":
            if price is not None:
                entry["current_price"] = price
            if change_24h is not None:
                entry["price_change_percentage_24h"] = change_24h
                entry["price_change_percentage_24h_in_currency"] = change_24h
    api = FakeCoinGecko(**{"/coins/markets": [entries]})
    report = coin_markets_sync(client=make_client(api), logos=False)
    assert report.ok, report.error
    return report


@pytest.fixture
def synced(alert_site):
    market_sync()
    return alert_site


def links(message) -> list[str]:
    """The /kursalarm/ paths a mail's plain-text part links to, in order (a parsed message
    from the SMTP server, or Django's message from mail.outbox)."""
    if hasattr(message, "get_body"):
        return URL_RE.findall(message.get_body(("plain",)).get_content())
    return URL_RE.findall(message.body)
