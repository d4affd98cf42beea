"""Coin logos never hold up prices: the sync only queues them, and the logo job stays short
when the image host hangs, refuses, trickles or sends garbage (circuit breaker per host,
back-off per coin, both remembered in the database)."""

import datetime as dt
import socket
import threading
import time
from decimal import Decimal
from io import StringIO

import httpx
import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks import default_task_backend

from kryptowelt.markets import jobs
from kryptowelt.markets.coingecko.client import MAX_IMAGE_BYTES, CoinGeckoClient, RateLimiter
from kryptowelt.markets.models import Coin, LogoHost, MarketSnapshot, SyncState
from kryptowelt.markets.services.logos import (
    COIN_BACKOFF_FIRST,
    HOST_COOL_DOWN,
    HOST_FAILURE_LIMIT,
    LOGO_GENERATED,
    coin_logos_pending,
    coin_logos_refresh,
)
from kryptowelt.markets.services.sync import coin_markets_sync
from kryptowelt.markets.tests.fakes import BASE_URL, IMAGE_HOST, make_client, markets_api

pytestmark = pytest.mark.django_db

PRICE_SYNC_LIMIT = 30.0  # seconds, whatever the logo host does
COINS = 6  # in the recorded /coins/markets answer, all with a logo on IMAGE_HOST


@pytest.fixture
def queued_tasks(settings):
    """Tasks are queued, not run, as with the database backend in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return default_task_backend.results


@pytest.fixture
def release():
    """Set at the end of a test, so a handler that hangs lets go of its thread."""
    event = threading.Event()
    yield event
    event.set()


class Trickle(httpx.SyncByteStream):
    def __iter__(self):
        for _ in range(1000):
            time.sleep(0.5)
            yield b"\x89"


def logo_host(behaviour, release):
    def answer(request):
        if behaviour == "hangs":
            release.wait(PRICE_SYNC_LIMIT + 10)
            raise httpx.ReadTimeout("no answer")
        if behaviour == "refuses":
            raise httpx.ConnectError("Connection refused")
        if behaviour == "trickles":
            return httpx.Response(200, stream=Trickle(), headers={"content-type": "image/png"})
        if behaviour == "sends garbage":
            return httpx.Response(200, content=b"\x00garbage" * 100, headers=PNG)
        if behaviour == "sends huge bodies":
            return httpx.Response(200, content=b"\x89PNG" * MAX_IMAGE_BYTES, headers=PNG)
        raise AssertionError(behaviour)

    return answer


PNG = {"content-type": "image/png"}
BEHAVIOURS = ["hangs", "refuses", "trickles", "sends garbage", "sends huge bodies"]


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_price_sync_finishes_fast_and_stores_prices_whatever_the_logo_host_does(
    fake_api, queued_tasks, release, behaviour
):
    fake_api.images = logo_host(behaviour, release)
    started = time.monotonic()
    out = StringIO()
    call_command("sync_markets", stdout=out, verbosity=0)
    elapsed = time.monotonic() - started

    assert elapsed < PRICE_SYNC_LIMIT
    assert MarketSnapshot.objects.count() == COINS
    assert MarketSnapshot.objects.get(coin__coingecko_id="bitcoin").price == Decimal("81234.56")
    assert SyncState.objects.get(kind=SyncState.MARKETS).last_success_at is not None
    assert fake_api.image_calls() == 0  # the logo host is left to the task worker
    assert [r.task.name for r in queued_tasks] == ["coin_logos_fetch"]
    assert "Logos werden im Hintergrund geladen" in out.getvalue()
    # Until the worker has loaded them, every coin shows a drawn badge.
    assert set(Coin.objects.values_list("logo_source_url", flat=True)) == {LOGO_GENERATED}


def test_scheduled_price_job_does_not_wait_for_a_hanging_logo_host(fake_api, queued_tasks, release):
    fake_api.images = logo_host("hangs", release)
    started = time.monotonic()
    jobs.refresh_prices()
    assert time.monotonic() - started < PRICE_SYNC_LIMIT
    assert MarketSnapshot.objects.count() == COINS
    assert fake_api.calls("/search/trending") == 1
    assert len(queued_tasks) == 1


def test_without_due_logos_nothing_is_queued(fake_api, queued_tasks):
    call_command("sync_markets", "--no-logos", stdout=StringIO(), verbosity=0)
    assert queued_tasks == []
    coin_logos_refresh()  # what the worker does
    assert fake_api.image_calls() == COINS
    call_command("sync_markets", stdout=StringIO(), verbosity=0)
    assert queued_tasks == []  # every logo is current


# --- the logo job ---------------------------------------------------------------------------


@pytest.fixture
def coins_without_logos(db):
    api = markets_api()
    assert coin_markets_sync(client=make_client(api), logos=False).ok
    return api


def refresh(api, **options):
    return coin_logos_refresh(client=make_client(api, image_timeout=0.2), **options)


@pytest.mark.parametrize("behaviour", ["refuses", "sends huge bodies"])
def test_failing_host_opens_the_breaker_and_is_skipped_across_runs(
    coins_without_logos, release, behaviour
):
    api = coins_without_logos
    api.images = logo_host(behaviour, release)
    report = refresh(api)
    assert api.image_calls() == HOST_FAILURE_LIMIT
    assert (report.failed, report.skipped_hosts, report.loaded) == (3, COINS - 3, 0)
    host = LogoHost.objects.get(host=IMAGE_HOST)
    assert host.failures == HOST_FAILURE_LIMIT
    assert host.open_until > timezone.now() + HOST_COOL_DOWN - dt.timedelta(minutes=1)
    # Remembered: the next runs do not ask the host at all, and the sync queues nothing.
    assert refresh(api).skipped_hosts == COINS - 3
    assert api.image_calls() == HOST_FAILURE_LIMIT
    assert not coin_logos_pending()
    # Coins keep their drawn badge meanwhile.
    assert set(Coin.objects.values_list("logo_source_url", flat=True)) == {LOGO_GENERATED}


def test_breaker_closes_when_the_host_answers_again_after_the_cool_down(coins_without_logos):
    api = coins_without_logos
    api.images = logo_host("refuses", None)
    refresh(api)  # coins 1-3 fail (back-off 1 h each), 4-6 are skipped
    assert LogoHost.objects.get(host=IMAGE_HOST).open_until is not None

    after_cool_down = timezone.now() + HOST_COOL_DOWN + dt.timedelta(minutes=1)
    with time_machine.travel(after_cool_down, tick=False):
        # Half open: one trial (coin 4); it fails, so the breaker opens again at once.
        calls = api.image_calls()
        refresh(api)
        assert api.image_calls() == calls + 1
        assert LogoHost.objects.get(host=IMAGE_HOST).open_until > timezone.now()

    later = after_cool_down + HOST_COOL_DOWN + dt.timedelta(minutes=1)
    api.images = None  # the host is back
    with time_machine.travel(later, tick=False):
        report = refresh(api)
        host = LogoHost.objects.get(host=IMAGE_HOST)
        assert host.open_until is None and host.failures == 0
        assert host.last_success_at == timezone.now()
        # Coins 1-3 (back-off over) and 5-6 (only skipped) are loaded; coin 4, which
        # failed in the trial half an hour ago, waits for its own back-off.
        assert report.loaded == COINS - 1
        assert not coin_logos_pending()

    with time_machine.travel(later + COIN_BACKOFF_FIRST, tick=False):
        assert refresh(api).loaded == 1
    bitcoin = Coin.objects.get(coingecko_id="bitcoin")
    assert bitcoin.logo_source_url.startswith(f"https://{IMAGE_HOST}/")
    assert bitcoin.logo.read()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (bitcoin.logo_failures, bitcoin.logo_retry_not_before) == (0, None)


def test_broken_logo_rests_for_its_back_off_without_blaming_the_host(coins_without_logos):
    api = coins_without_logos
    api.images = logo_host("sends garbage", None)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        report = refresh(api)
    assert (report.failed, report.loaded) == (COINS, 0)
    assert LogoHost.objects.get(host=IMAGE_HOST).open_until is None  # the host answered
    bitcoin = Coin.objects.get(coingecko_id="bitcoin")
    assert bitcoin.logo_failures == 1
    assert bitcoin.logo_retry_not_before == start + COIN_BACKOFF_FIRST
    assert bitcoin.logo_source_url == LOGO_GENERATED

    with time_machine.travel(start + COIN_BACKOFF_FIRST / 2, tick=False):
        refresh(api)
    assert api.image_calls() == COINS  # not retried before the back-off has passed

    retry = start + COIN_BACKOFF_FIRST + dt.timedelta(seconds=1)
    with time_machine.travel(retry, tick=False):
        refresh(api)
    assert api.image_calls() == 2 * COINS
    bitcoin.refresh_from_db()
    assert bitcoin.logo_failures == 2
    assert bitcoin.logo_retry_not_before == retry + 2 * COIN_BACKOFF_FIRST  # doubled


def test_new_logo_url_starts_the_back_off_afresh(coins_without_logos):
    api = coins_without_logos
    api.images = logo_host("sends garbage", None)
    refresh(api)
    assert not coin_logos_pending()
    data = markets_api().responses["/coins/markets"][0]
    data[0]["image"] = f"https://{IMAGE_HOST}/coins/images/1/large/bitcoin-neu.png"
    api.set("/coins/markets", data)
    assert coin_markets_sync(client=make_client(api), logos=False).ok
    bitcoin = Coin.objects.get(coingecko_id="bitcoin")
    assert (bitcoin.logo_failures, bitcoin.logo_retry_not_before) == (0, None)
    assert list(Coin.objects.filter(logo_failures=0).values_list("coingecko_id", flat=True)) == [
        "bitcoin"
    ]


def test_logo_job_keeps_to_its_time_budget(coins_without_logos):
    api = coins_without_logos
    ticks = iter(range(100))
    report = refresh(api, budget_seconds=3, clock=lambda: next(ticks))  # 1 s per look
    assert report.loaded == 2 and report.out_of_time == COINS - 2
    assert coin_logos_pending()  # the rest comes with the next run


# --- against real sockets: the timeouts hold for a host that never answers -----------------


class LocalImageHost(httpx.BaseTransport):
    """Requests for 127.0.0.1 go over real sockets (to a test server), the rest to the fake."""

    def __init__(self, fake):
        self.fake = httpx.MockTransport(fake)
        self.network = httpx.HTTPTransport()
        self.requests: list[httpx.Request] = []

    def handle_request(self, request):
        if request.url.host == "127.0.0.1":
            self.requests.append(request)
            return self.network.handle_request(request)
        return self.fake.handle_request(request)


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)  # the kernel completes the handshakes; nobody ever reads or writes
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def closed_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.mark.parametrize("port_fixture", ["silent_port", "closed_port"])
def test_hanging_or_refusing_host_over_real_sockets_costs_three_short_timeouts(
    coins_without_logos, request, port_fixture
):
    port = request.getfixturevalue(port_fixture)
    Coin.objects.update(image_url=f"http://127.0.0.1:{port}/logo.png")
    transport = LocalImageHost(coins_without_logos)
    client = CoinGeckoClient(
        base_url=BASE_URL,
        transport=transport,
        image_hosts=["127.0.0.1"],
        image_timeout=0.3,
        limiter=RateLimiter(1000),
        image_limiter=RateLimiter(1000),
    )
    started = time.monotonic()
    report = coin_logos_refresh(client=client)
    elapsed = time.monotonic() - started
    assert len(transport.requests) == HOST_FAILURE_LIMIT
    assert elapsed < HOST_FAILURE_LIMIT * 2 * 0.3 + 2
    assert (report.failed, report.skipped_hosts) == (3, COINS - 3)
    assert LogoHost.objects.get(host="127.0.0.1").open_until > timezone.now()


def test_admin_shows_paused_logo_servers(admin_client, coins_without_logos):
    coins_without_logos.images = logo_host("refuses", None)
    refresh(coins_without_logos)
    html = admin_client.get("/admin/logohost/").content.decode()
    assert IMAGE_HOST in html and "nicht erreichbar (ConnectError)" in html
    html = admin_client.get("/admin/syncstate/").content.decode()
    assert "Logos" in html and "3 Logos nicht geladen" in html
