"""The CoinGecko client against recorded payloads: parsing, auth headers, retries, 429 and
Retry-After, timeouts, slow and oversized answers, garbage. No network."""

import datetime as dt
import email.utils
from decimal import Decimal

import httpx
import pytest

from kryptowelt.markets.coingecko.client import (
    MAX_IMAGE_BYTES,
    MAX_JSON_BYTES,
    RateLimiter,
    retry_after_seconds,
)
from kryptowelt.markets.coingecko.errors import (
    CoinGeckoBadPayload,
    CoinGeckoClientError,
    CoinGeckoRateLimited,
    CoinGeckoUnavailable,
    ImageHostUnavailable,
    ImageRejected,
)
from kryptowelt.markets.coingecko.payloads import markets_parse
from kryptowelt.markets.tests.fakes import FakeCoinGecko, make_client, payload

NOW = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
PNG = {"content-type": "image/png"}


def test_parses_recorded_markets_payload_into_decimals():
    result = markets_parse(payload("coins_markets_eur.json"), now=NOW)
    assert not result.skipped
    bitcoin = result.items[0]
    assert bitcoin.id == "bitcoin" and bitcoin.symbol == "btc" and bitcoin.rank == 1
    assert bitcoin.price == Decimal("81234.56")
    assert isinstance(bitcoin.market_cap, Decimal)
    assert bitcoin.change_1h == Decimal("0.123") and bitcoin.change_1y == Decimal("35.218")
    assert bitcoin.max_supply == Decimal("21000000.0")
    assert bitcoin.ath_date == dt.datetime(2025, 10, 6, 18, 57, 42, 558000, tzinfo=dt.UTC)
    assert len(bitcoin.sparkline_7d) == 168
    shiba = next(e for e in result.items if e.id == "shiba-inu")
    assert shiba.price == Decimal("0.00000892")


def test_partial_and_malformed_entries_are_skipped_with_reasons(caplog):
    result = markets_parse(payload("coins_markets_partial.json"), now=NOW)
    assert [e.id for e in result.items] == ["bitcoin", "ethereum"]
    reasons = "\n".join(result.skipped)
    for expected in (
        "current_price fehlt",
        "current_price ist keine Zahl",
        "market_cap ist zu klein",
        "keine gültige Coin-ID",
        "Eintrag ist kein Objekt",
        "last_updated ist kein gültiger Zeitpunkt",
        "sparkline_in_7d enthält keine Zahl",
        "unplausibel groß",
        "doppelt",
    ):
        assert expected in reasons, expected
    assert len(result.skipped) == 10
    assert "übersprungen" in caplog.text


@pytest.mark.parametrize(
    "body",
    [b"<html>Bad Gateway</html>", b'{"truncated": [1, 2', b"[NaN]", b"\xff\xfe", b""],
)
def test_malformed_json_raises_bad_payload(body):
    api = FakeCoinGecko(**{"/coins/markets": [httpx.Response(200, content=body)]})
    with pytest.raises(CoinGeckoBadPayload):
        make_client(api).coins_markets()


def test_error_object_instead_of_list_is_bad_payload():
    api = FakeCoinGecko(**{"/coins/markets": [payload("rate_limited.json")]})
    with pytest.raises(CoinGeckoBadPayload):
        make_client(api).coins_markets()


def test_requests_top_250_in_euro_with_sparkline_and_changes():
    api = FakeCoinGecko(**{"/coins/markets": [payload("coins_markets_eur.json")]})
    make_client(api).coins_markets()
    params = api.requests[0].url.params
    assert params["vs_currency"] == "eur" and params["per_page"] == "250"
    assert params["sparkline"] == "true"
    assert params["price_change_percentage"] == "1h,24h,7d,30d,1y"
    assert api.requests[0].url.path == "/api/v3/coins/markets"


@pytest.mark.parametrize(
    ("base_url", "plan", "header"),
    [
        ("https://api.coingecko.com/api/v3", "", "x-cg-demo-api-key"),
        ("https://pro-api.coingecko.com/api/v3", "", "x-cg-pro-api-key"),
        ("https://api.coingecko.test/api/v3", "pro", "x-cg-pro-api-key"),
    ],
)
def test_api_key_is_sent_in_the_documented_header(base_url, plan, header):
    api = FakeCoinGecko(**{"/search/trending": [payload("search_trending.json")]})
    client = make_client(api, base_url=base_url, api_key="geheim", api_plan=plan)
    client.search_trending()
    assert api.requests[0].headers[header] == "geheim"
    other = {"x-cg-demo-api-key", "x-cg-pro-api-key"} - {header}
    assert other.pop() not in api.requests[0].headers


def test_no_key_no_auth_header():
    api = FakeCoinGecko(**{"/search/trending": [payload("search_trending.json")]})
    make_client(api).search_trending()
    assert not any(h.startswith("x-cg-") for h in api.requests[0].headers)


def test_429_with_retry_after_seconds_waits_that_long_then_succeeds():
    sleeps = []
    api = FakeCoinGecko(
        **{
            "/coins/markets": [
                httpx.Response(
                    429, json=payload("rate_limited.json"), headers={"Retry-After": "7"}
                ),
                payload("coins_markets_eur.json"),
            ]
        }
    )
    result = make_client(api, sleeps=sleeps).coins_markets()
    assert len(result.items) == 6
    assert api.calls("/coins/markets") == 2
    assert 7 in sleeps


def test_429_with_http_date_retry_after():
    when = email.utils.format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), True)
    seconds = retry_after_seconds(when)
    assert 25 <= seconds <= 31
    assert retry_after_seconds("garbage") is None
    assert retry_after_seconds("-5") == 0


def test_429_with_too_long_retry_after_gives_up_at_once():
    sleeps = []
    api = FakeCoinGecko(
        **{"/coins/markets": [httpx.Response(429, headers={"Retry-After": "3600"})]}
    )
    with pytest.raises(CoinGeckoRateLimited) as excinfo:
        make_client(api, sleeps=sleeps).coins_markets()
    assert excinfo.value.retry_after == 3600
    assert api.calls("/coins/markets") == 1
    assert 3600 not in sleeps


def test_timeouts_are_retried_with_backoff_then_reported():
    sleeps = []
    api = FakeCoinGecko(**{"/coins/markets": [httpx.ReadTimeout("slow")]})
    with pytest.raises(CoinGeckoUnavailable, match="Zeitüberschreitung"):
        make_client(api, sleeps=sleeps, max_retries=3).coins_markets()
    assert api.calls("/coins/markets") == 4
    assert len(sleeps) == 3 and sleeps[0] < sleeps[1] < sleeps[2]


def test_server_errors_retried_and_recover():
    api = FakeCoinGecko(
        **{
            "/coins/markets": [
                httpx.Response(503),
                httpx.ConnectError("refused"),
                payload("coins_markets_eur.json"),
            ]
        }
    )
    assert len(make_client(api).coins_markets().items) == 6
    assert api.calls("/coins/markets") == 3


def test_client_errors_are_not_retried():
    api = FakeCoinGecko(**{"/coins/markets": [httpx.Response(401, json={"error": "key"})]})
    with pytest.raises(CoinGeckoClientError):
        make_client(api).coins_markets()
    assert api.calls("/coins/markets") == 1


def test_a_server_that_trickles_bytes_hits_the_total_deadline():
    clock = iter(range(0, 10_000, 4))  # every look at the clock: 4 more seconds

    class Trickle(httpx.SyncByteStream):
        def __iter__(self):
            for _ in range(100):
                yield b" "

    api = FakeCoinGecko(**{"/coins/markets": [httpx.Response(200, stream=Trickle())]})
    client = make_client(api, timeout=10, max_retries=0)
    client.clock = lambda: next(clock)
    with pytest.raises(CoinGeckoUnavailable, match="länger als 20 s"):
        client.coins_markets()


def test_oversized_answer_is_refused():
    huge = b"[" + b"1," * (MAX_JSON_BYTES // 2) + b"1]"
    api = FakeCoinGecko(**{"/coins/markets": [httpx.Response(200, content=huge)]})
    with pytest.raises(CoinGeckoBadPayload, match="größer"):
        make_client(api).coins_markets()


def test_rate_limiter_keeps_under_the_budget_per_minute():
    now = [0.0]
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(25, clock=lambda: now[0], sleep=sleep)
    stamps = []
    for _ in range(60):
        limiter.acquire()
        stamps.append(now[0])
    for index, stamp in enumerate(stamps):
        window = [s for s in stamps[: index + 1] if stamp - s < 60]
        assert len(window) <= 25
    assert stamps[-1] >= 120  # 60 calls at 25 per minute need more than two minutes


def test_rate_limiter_pause_after_429_blocks_everyone():
    now = [0.0]
    limiter = RateLimiter(100, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    limiter.pause(30)
    limiter.acquire()
    assert now[0] == 30


def test_market_chart_parses_points_and_skips_bad_pairs():
    data = payload("market_chart_bitcoin_eur.json")
    data["prices"].insert(3, ["x", 1])
    data["prices"].insert(5, [1700000000000, -1])
    data["prices"].insert(6, [1])
    api = FakeCoinGecko(**{"/market_chart": [data]})
    result = make_client(api).coin_market_chart(coin_id="bitcoin", days="365")
    assert len(result.items) == 32
    assert result.items[-1].price == Decimal("81234.56")
    assert result.items[0].market_cap is not None
    assert "3 ungültige Kurspunkte" in result.skipped[0]
    assert api.requests[0].url.params["interval"] == "daily"


def test_market_chart_without_prices_is_bad_payload():
    api = FakeCoinGecko(**{"/market_chart": [{"error": "coin not found"}]})
    with pytest.raises(CoinGeckoBadPayload):
        make_client(api).coin_market_chart(coin_id="bitcoin")


def test_trending_parses_coins_and_skips_broken_items():
    api = FakeCoinGecko(**{"/search/trending": [payload("search_trending.json")]})
    result = make_client(api).search_trending()
    assert [c.id for c in result.items] == ["pepe", "solana", "bitcoin", "hyperliquid"]
    assert result.items[0].symbol == "pepe" and result.items[0].rank == 31
    assert len(result.skipped) == 1


def test_images_only_from_allowed_hosts():
    api = FakeCoinGecko()
    client = make_client(api)
    logo = client.image_fetch(url="https://coin-images.coingecko.com/coins/images/1/large/b.png")
    assert logo[:8] == b"\x89PNG\r\n\x1a\n"
    for url in ("https://evil.example/logo.png", "file:///etc/passwd"):
        with pytest.raises(ImageRejected, match="nicht von erlaubtem Host"):
            client.image_fetch(url=url)
    assert len(api.requests) == 1


LOGO_URL = "https://coin-images.coingecko.com/coins/images/1/large/b.png"


class Trickle(httpx.SyncByteStream):
    def __iter__(self):
        for _ in range(100):
            yield b" "


@pytest.mark.parametrize(
    ("answer", "error", "message"),
    [
        (httpx.ConnectError("Connection refused"), ImageHostUnavailable, "nicht erreichbar"),
        (httpx.ReadTimeout("timed out"), ImageHostUnavailable, "Zeitüberschreitung"),
        (httpx.Response(503), ImageHostUnavailable, "HTTP 503"),
        (
            httpx.Response(200, content=b"x" * (MAX_IMAGE_BYTES + 1), headers=PNG),
            ImageHostUnavailable,
            "größer",
        ),
        (httpx.Response(200, stream=Trickle(), headers=PNG), ImageHostUnavailable, "länger"),
        (httpx.Response(404), ImageRejected, "HTTP 404"),
        (httpx.Response(200, text="<html>Fehler</html>"), ImageRejected, "kein Bild"),
    ],
)
def test_logo_failures_say_whether_the_host_or_only_the_logo_is_at_fault(answer, error, message):
    def handler(request):
        if isinstance(answer, Exception):
            raise answer
        return answer

    clock = iter(range(0, 10_000, 4))  # every look at the clock: 4 more seconds
    client = make_client(handler, image_timeout=5)
    client.clock = lambda: next(clock)
    with pytest.raises(error, match=message):
        client.image_fetch(url=LOGO_URL)


def test_logo_requests_use_the_short_image_timeouts():
    seen = []

    def handler(request):
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, content=b"GIF89a", headers={"content-type": "image/gif"})

    make_client(handler, timeout=10, image_timeout=2).image_fetch(url=LOGO_URL)
    assert seen == [{"connect": 2, "read": 2, "write": 2, "pool": 2}]
