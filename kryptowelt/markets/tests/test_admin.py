"""Editors correct a coin's name or symbol in the admin (Kurse & Marktdaten → Coins): readers
see it at once, and the sync with CoinGecko keeps it until the editor lets CoinGecko's name
count again."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kryptowelt.markets.models import Coin

pytestmark = pytest.mark.django_db


def _edit(admin_client, coin, **fields):
    data = {"name": coin.name, "symbol": coin.symbol, **fields}
    if data.pop("names_by_editor", coin.names_by_editor):
        data["names_by_editor"] = "on"
    response = admin_client.post(reverse("coin:edit", args=[coin.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    coin.refresh_from_db()


def test_an_editor_s_coin_name_shows_at_once_and_outlives_the_sync(
    admin_client, home, fake_api, settings
):
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 300
    call_command("sync_markets", verbosity=0)
    reader = Client()
    bitcoin = Coin.objects.get(coingecko_id="bitcoin")
    assert "Bitcoin" in reader.get("/kurse/bitcoin/").content.decode()
    assert reader.get("/kurse/bitcoin/")["X-App-Cache"] == "HIT"

    _edit(admin_client, bitcoin, name="Bitcoin (Original)")
    assert bitcoin.names_by_editor
    assert "Bitcoin (Original)" in reader.get("/kurse/bitcoin/").content.decode()
    assert "Bitcoin (Original)" in reader.get("/kurse/").content.decode()

    call_command("sync_markets", verbosity=0)
    bitcoin.refresh_from_db()
    assert (bitcoin.name, bitcoin.symbol) == ("Bitcoin (Original)", "btc")
    assert bitcoin.rank == 1  # everything else still comes from CoinGecko
    assert "Bitcoin (Original)" in reader.get("/kurse/bitcoin/").content.decode()


def test_coins_the_editors_left_alone_follow_coingecko(admin_client, home, fake_api):
    call_command("sync_markets", verbosity=0)
    ethereum = Coin.objects.get(coingecko_id="ethereum")
    Coin.objects.filter(pk=ethereum.pk).update(name="Veralteter Name")
    call_command("sync_markets", verbosity=0)
    ethereum.refresh_from_db()
    assert ethereum.name == "Ethereum" and not ethereum.names_by_editor

    _edit(admin_client, ethereum, symbol="ETH2")
    assert ethereum.names_by_editor
    call_command("sync_markets", verbosity=0)
    ethereum.refresh_from_db()
    assert ethereum.symbol == "ETH2"

    # Unticked: CoinGecko's name and symbol count again from the next sync.
    _edit(admin_client, ethereum, names_by_editor=False)
    assert not ethereum.names_by_editor
    call_command("sync_markets", verbosity=0)
    ethereum.refresh_from_db()
    assert (ethereum.name, ethereum.symbol) == ("Ethereum", "eth")
