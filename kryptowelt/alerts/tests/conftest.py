"""Fixtures of the alerts tests: the site with /kursalarm/, and syncs through the fake
CoinGecko (recorded payloads, kryptowelt/markets/tests) with the figures a test needs."""

import contextlib
import datetime as dt
import re
import socket

import pytest
from django.utils import timezone
from django_tasks import task_backends

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


@contextlib.contextmanager
def hung_mail_server(settings, *, timeout: float = 5.0):
    """Sending goes to a mail server that accepts the connection and never answers (hung or
    overloaded): an inline send would wait `timeout` seconds (EMAIL_TIMEOUT), then fail."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        port, live = server.getsockname()[1], (settings.EMAIL_PORT, settings.EMAIL_TIMEOUT)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
            "127.0.0.1",
            port,
            timeout,
        )
        try:
            yield
        finally:
            settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = live


@pytest.fixture
def task_queue(settings):
    """Tasks are queued, not run, as in production with a worker (DummyBackend);
    `run_queued(task_queue)` runs what is queued, like the worker does."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }
    return task_backends["default"]


def run_queued(backend) -> list:
    done = []
    while backend.results:
        result = backend.results.pop(0)
        done.append(result.task.call(*result.args, **result.kwargs))
    return done
