"""`kryptowelt demo` sample market data: offline, labelled, years of history, idempotent."""

import datetime as dt

import pytest

from kryptowelt.markets.demo import load_market_samples
from kryptowelt.markets.models import Coin, MarketSnapshot, PricePoint
from kryptowelt.markets.selectors.coins import coin_choices
from kryptowelt.markets.selectors.series import daily_close_series

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 24, 14, 3, tzinfo=dt.UTC)


def test_samples_give_years_of_daily_history_for_bitcoin_and_ethereum(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the demo must work offline")

    monkeypatch.setattr("httpx.Client.send", no_network)
    load_market_samples(now=NOW)
    for coin_id in ("bitcoin", "ethereum"):
        series = daily_close_series(coin_id=coin_id)
        assert series[0][0] <= dt.date(2019, 1, 1)
        assert series[-1][0] == NOW.date()
        days = [d for d, _ in series]
        assert len(days) == len(set(days)) == (days[-1] - days[0]).days + 1
        assert all(value > 0 for _, value in series)
    assert ("bitcoin", "Bitcoin") in coin_choices()
    assert MarketSnapshot.objects.filter(is_sample=False).count() == 0
    assert Coin.objects.filter(is_sample=True).count() >= 20
    assert all(coin.logo for coin in Coin.objects.all())


def test_samples_are_idempotent_and_only_append_what_is_missing():
    load_market_samples(now=NOW)
    count = PricePoint.objects.count()
    before = dict(
        PricePoint.objects.filter(
            coin__coingecko_id="bitcoin", timestamp__lt=NOW - dt.timedelta(days=9)
        ).values_list("timestamp", "price")
    )
    load_market_samples(now=NOW)
    assert PricePoint.objects.count() == count
    load_market_samples(now=NOW + dt.timedelta(hours=3))
    assert count < PricePoint.objects.count() < count + 20 * 60
    after = dict(
        PricePoint.objects.filter(
            coin__coingecko_id="bitcoin", timestamp__lt=NOW - dt.timedelta(days=9)
        ).values_list("timestamp", "price")
    )
    assert after == before  # history does not change when the demo runs again
