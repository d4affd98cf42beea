import pytest

from kryptowelt.markets.coingecko.client import CoinGeckoClient
from kryptowelt.markets.tests.fakes import make_client, markets_api


@pytest.fixture
def fake_api(monkeypatch):
    """A fake CoinGecko behind every client the app creates (services, commands, jobs)."""
    api = markets_api()
    sleeps: list[float] = []

    def from_settings(cls=None, **overrides):
        return make_client(api, sleeps=sleeps, **overrides)

    monkeypatch.setattr(CoinGeckoClient, "from_settings", classmethod(from_settings))
    api.sleeps = sleeps
    return api
