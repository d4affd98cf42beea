"""Syncing recorded CoinGecko answers into the database, through the services and the
`sync_markets` command: idempotent, validated, and harmless when the API misbehaves."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kryptowelt.markets import jobs
from kryptowelt.markets.models import (
    Coin,
    MarketSnapshot,
    PricePoint,
    SyncState,
    TrendingCoin,
)
from kryptowelt.markets.services.history import price_history_compact, price_points_append
from kryptowelt.markets.services.logos import LOGO_GENERATED
from kryptowelt.markets.services.sync import coin_markets_sync
from kryptowelt.markets.tests.fakes import make_client, markets_api, payload

pytestmark = pytest.mark.django_db


def test_sync_markets_command_stores_coins_snapshots_history_and_logos(fake_api):
    out = StringIO()
    call_command("sync_markets", stdout=out, verbosity=0)
    assert "6 Coins gespeichert (6 neu)" in out.getvalue()
    bitcoin = Coin.objects.get(coingecko_id="bitcoin")
    assert bitcoin.name == "Bitcoin" and bitcoin.symbol == "btc" and bitcoin.rank == 1
    snapshot = bitcoin.snapshot
    assert snapshot.price == Decimal("81234.56")
    assert snapshot.change_24h == Decimal("1.27601")
    assert snapshot.ath_date.year == 2025
    assert len(snapshot.sparkline_7d) == 168
    assert not snapshot.is_sample
    # Logos are downloaded through the client and stored locally, re-encoded as PNG.
    assert bitcoin.logo.name == "coins/bitcoin.png"
    assert bitcoin.logo.read()[:8] == b"\x89PNG\r\n\x1a\n"
    assert bitcoin.logo_source_url.startswith("https://coin-images.coingecko.com/")
    assert PricePoint.objects.filter(source=PricePoint.SOURCE_SYNC).count() == 6
    assert list(TrendingCoin.objects.values_list("coingecko_id", flat=True)) == [
        "pepe",
        "solana",
        "bitcoin",
        "hyperliquid",
    ]
    state = SyncState.objects.get(kind=SyncState.MARKETS)
    assert state.last_success_at is not None and state.last_error == ""


def test_resync_of_the_same_data_adds_nothing(fake_api):
    call_command("sync_markets", verbosity=0, stdout=StringIO())
    counts = (PricePoint.objects.count(), Coin.objects.count(), MarketSnapshot.objects.count())
    logo_calls = sum(1 for r in fake_api.requests if r.url.host == "coin-images.coingecko.com")
    out = StringIO()
    call_command("sync_markets", verbosity=0, stdout=out)
    assert "0 neue Kurspunkte" in out.getvalue()
    assert (PricePoint.objects.count(), Coin.objects.count(), MarketSnapshot.objects.count()) == (
        counts
    )
    # Logos that did not change are not downloaded again.
    assert sum(1 for r in fake_api.requests if r.url.host == "coin-images.coingecko.com") == (
        logo_calls
    )


def test_history_sync_is_append_only_and_idempotent(fake_api):
    call_command("sync_markets", verbosity=0, stdout=StringIO())
    out = StringIO()
    call_command("sync_markets", "--history", "--coins", "bitcoin", stdout=out, verbosity=0)
    assert "Verlauf: 1 Coins, 32 neue Kurspunkte" in out.getvalue()
    first = list(PricePoint.objects.order_by("pk").values_list("pk", "price"))
    call_command("sync_markets", "--history", "--coins", "bitcoin", stdout=out, verbosity=0)
    assert list(PricePoint.objects.order_by("pk").values_list("pk", "price")) == first


def test_malformed_entries_are_never_stored(fake_api):
    fake_api.set("/coins/markets", payload("coins_markets_partial.json"))
    out = StringIO()
    call_command("sync_markets", stdout=out, verbosity=0)
    assert set(Coin.objects.values_list("coingecko_id", flat=True)) == {"bitcoin", "ethereum"}
    assert "übersprungen: Eintrag 2 ('missing-price')" in out.getvalue()
    assert Coin.objects.get(coingecko_id="bitcoin").name == "Bitcoin"  # not the duplicate


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("Connection refused"),
        httpx.ReadTimeout("timed out"),
        httpx.Response(500, text="Internal Server Error"),
        httpx.Response(200, text="<html>Wartungsarbeiten</html>"),
        httpx.Response(200, json={"unexpected": "object"}),
        httpx.Response(200, json=[{"id": "x"}, {"id": "y"}]),
    ],
)
def test_failed_sync_keeps_the_last_data_and_records_the_error(fake_api, failure):
    call_command("sync_markets", verbosity=0, stdout=StringIO())
    before = list(MarketSnapshot.objects.order_by("pk").values_list("pk", "price", "fetched_at"))
    fake_api.set("/coins/markets", failure)
    with pytest.raises(CommandError, match="Die zuletzt gespeicherten Kurse bleiben erhalten"):
        call_command("sync_markets", verbosity=0, stdout=StringIO())
    after = list(MarketSnapshot.objects.order_by("pk").values_list("pk", "price", "fetched_at"))
    assert after == before
    state = SyncState.objects.get(kind=SyncState.MARKETS)
    assert state.last_error and state.last_attempt_at > state.last_success_at


def test_429_with_long_retry_after_pauses_the_scheduled_job(fake_api):
    fake_api.set("/coins/markets", httpx.Response(429, headers={"Retry-After": "900"}))
    jobs.refresh_prices()
    state = SyncState.objects.get(kind=SyncState.MARKETS)
    assert state.retry_not_before > timezone.now() + dt.timedelta(minutes=14)
    calls = fake_api.calls("/coins/markets")
    fake_api.set("/coins/markets", payload("coins_markets_eur.json"))
    SyncState.objects.filter(kind=SyncState.MARKETS).update(last_attempt_at=None)
    jobs.refresh_prices()
    assert fake_api.calls("/coins/markets") == calls  # still paused: CoinGecko was not asked
    report = coin_markets_sync()
    assert not report.ok and "Pause" in report.error


def test_periodic_job_runs_at_most_every_five_minutes(fake_api):
    jobs.refresh_prices()
    jobs.refresh_prices()
    assert fake_api.calls("/coins/markets") == 1
    SyncState.objects.filter(kind=SyncState.MARKETS).update(
        last_attempt_at=timezone.now() - dt.timedelta(minutes=6)
    )
    jobs.refresh_prices()
    assert fake_api.calls("/coins/markets") == 2
    assert fake_api.calls("/search/trending") == 2


def test_logo_from_a_foreign_host_is_not_fetched_and_a_local_one_is_drawn(fake_api):
    data = payload("coins_markets_eur.json")
    data[0]["image"] = "https://tracker.example/pixel.png"
    fake_api.set("/coins/markets", data)
    call_command("sync_markets", verbosity=0, stdout=StringIO())
    bitcoin = Coin.objects.get(coingecko_id="bitcoin")
    assert bitcoin.logo.name == "coins/bitcoin.png"
    assert bitcoin.logo_source_url == LOGO_GENERATED
    assert not any(r.url.host == "tracker.example" for r in fake_api.requests)


def test_broken_logo_image_is_replaced_by_a_drawn_one(fake_api, monkeypatch):
    monkeypatch.setattr(
        "kryptowelt.markets.coingecko.client.CoinGeckoClient.image_fetch",
        lambda self, url: b"<svg onload=alert(1)></svg>",
    )
    call_command("sync_markets", verbosity=0, stdout=StringIO())
    bitcoin = Coin.objects.get(coingecko_id="bitcoin")
    assert bitcoin.logo_source_url == LOGO_GENERATED
    assert bitcoin.logo.read()[:4] == b"\x89PNG"


def test_coins_dropping_out_of_the_top_list_lose_their_rank(fake_api):
    call_command("sync_markets", verbosity=0, stdout=StringIO())
    fake_api.set("/coins/markets", payload("coins_markets_eur.json")[:2])
    call_command("sync_markets", verbosity=0, stdout=StringIO())
    assert Coin.objects.get(coingecko_id="solana").rank is None
    assert Coin.objects.get(coingecko_id="ethereum").rank == 2


def test_compaction_thins_old_sync_points_but_keeps_daily_closes():
    coin = Coin.objects.create(coingecko_id="bitcoin", name="Bitcoin", symbol="btc")
    now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
    points = []
    for minutes in range(0, 5 * 24 * 60, 5):  # five days of 5-minute points
        stamp = now - dt.timedelta(minutes=minutes)
        points.append((stamp, Decimal(50000 + minutes), None, None))
    price_points_append(coin=coin, currency="eur", points=points, source=PricePoint.SOURCE_SYNC)
    old_day = (now - dt.timedelta(days=3)).date()
    last_of_day = (
        PricePoint.objects.filter(timestamp__date=old_day).order_by("-timestamp").first().price
    )
    removed = price_history_compact(now=now)
    assert removed > 0
    recent = PricePoint.objects.filter(timestamp__gte=now - dt.timedelta(days=2)).count()
    assert recent == 2 * 24 * 12 + 1
    hourly = PricePoint.objects.filter(timestamp__date=old_day).count()
    assert hourly == 24
    assert (
        PricePoint.objects.filter(timestamp__date=old_day).order_by("-timestamp").first().price
        == last_of_day
    )


def test_real_data_replaces_sample_data():
    from kryptowelt.markets.demo import load_market_samples

    load_market_samples()
    assert MarketSnapshot.objects.filter(is_sample=True).exists()
    api = markets_api()
    report = coin_markets_sync(client=make_client(api))
    assert report.ok
    assert not MarketSnapshot.objects.filter(is_sample=True).exists()
    assert not PricePoint.objects.filter(source=PricePoint.SOURCE_SAMPLE).exists()
    assert not Coin.objects.filter(is_sample=True).exists()
    # Coins only the demo knew are no longer listed.
    assert Coin.objects.get(coingecko_id="cardano").rank is None
