"""The Django-free modules: charts, trend maths, mention detection, amounts, logos."""

import datetime as dt
import io
import math
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from kryptowelt.markets import charts, logos
from kryptowelt.markets.converter import AmountError, parse_amount
from kryptowelt.markets.mentions import CoinName, MentionMatcher
from kryptowelt.markets.trendmath import topic_trends

BERLIN = ZoneInfo("Europe/Berlin")


def ten_years_daily():
    start = dt.datetime(2016, 1, 1, tzinfo=dt.UTC).timestamp()
    return [
        (start + day * 86400, 400 * math.exp(day / 700) * (1 + 0.3 * math.sin(day / 40)))
        for day in range(3653)
    ]


def test_lttb_keeps_ends_extremes_and_size():
    points = ten_years_daily()
    sampled = charts.downsample(points, 300)
    assert 298 <= len(sampled) <= 300
    assert sampled[0] == points[0] and sampled[-1] == points[-1]
    assert max(p[1] for p in sampled) == max(p[1] for p in points)
    assert [p[0] for p in sampled] == sorted(p[0] for p in sampled)


@given(st.lists(st.floats(0.0001, 1e6), min_size=2, max_size=500), st.integers(3, 100))
def test_lttb_never_grows_and_keeps_order(values, threshold):
    points = list(enumerate(values))
    sampled = charts.downsample_lttb(points, threshold)
    assert len(sampled) <= max(threshold, 2) or len(sampled) == len(points)
    assert [p[0] for p in sampled] == sorted({p[0] for p in sampled})


def test_ten_year_chart_is_small_accessible_and_labelled():
    svg = charts.price_chart_svg(
        ten_years_daily(),
        dom_id="chart-x",
        title="Kursverlauf Bitcoin in Euro, gesamter Zeitraum",
        description="Von 400 € auf …",
        tz=BERLIN,
    )
    assert len(svg.encode()) < 30_000
    assert 'role="img"' in svg and 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">Kursverlauf Bitcoin' in svg
    assert len(re.findall(r">20\d\d</text>", svg)) >= 4
    assert "\u00a0€</text>" in svg  # German price labels
    values = svg.split('data-v="')[1].split('"')[0].split()
    assert charts.CHART_MAX_POINTS - 2 <= len(values) <= charts.CHART_MAX_POINTS


def test_24h_chart_has_hour_labels_and_weekly_chart_weekday_labels():
    end = dt.datetime(2026, 11, 24, 14, tzinfo=dt.UTC).timestamp()
    day = [(end - i * 300, 80000 + i) for i in range(288)][::-1]
    svg = charts.price_chart_svg(day, dom_id="a", title="t", description="d", tz=BERLIN)
    assert re.search(r">\d\d:00</text>", svg)
    week = [(end - i * 3600, 80000 + i) for i in range(168)][::-1]
    svg = charts.price_chart_svg(week, dom_id="b", title="t", description="d", tz=BERLIN)
    assert re.search(r">(Mo|Di|Mi|Do|Fr|Sa|So) \d+\.\d+\.</text>", svg)


def test_ticks_cover_the_data():
    for low, high in ((107245, 132760), (0.000008, 0.0000095), (0.99, 1.01), (5, 5)):
        ticks = charts.nice_ticks(low, high)
        assert ticks[0] <= low and ticks[-1] >= high and len(ticks) >= 2


def test_sparkline_and_stats():
    svg = charts.sparkline_svg([3, 2, 1], label="7 Tage: -66 %")
    assert "sparkline--down" in svg and 'aria-label="7 Tage: -66 %"' in svg
    assert charts.sparkline_svg([1]) == ""
    stats = charts.series_stats([(1, 10.0), (2, 30.0), (3, 20.0)])
    assert (stats.high, stats.high_at, stats.low, stats.change_percent) == (30.0, 2, 10.0, 100.0)
    assert charts.series_stats([]) is None


def test_topic_trends_rank_rises_not_volume():
    trends = topic_trends(
        recent={"mica": 6, "bitcoin": 10, "steuern": 1, "etf": 3},
        baseline={"mica": 2, "bitcoin": 40, "etf": 0},
    )
    keys = [t.key for t in trends]
    assert keys[0] == "mica"  # 6 this week after 2 in a month
    assert "bitcoin" not in keys[:2]  # 10 this week against its usual ~9 is hardly a rise
    assert "steuern" not in keys  # a single article is no trend
    assert keys.index("etf") > 0


def test_topic_trends_empty():
    assert topic_trends(recent={}, baseline={"x": 3}) == []


def matcher():
    return MentionMatcher(
        [
            CoinName("bitcoin", "Bitcoin", "btc", 1),
            CoinName("ethereum", "Ethereum", "eth", 2),
            CoinName("bitcoin-cash", "Bitcoin Cash", "bch", 20),
            CoinName("maker", "Maker", "mkr", 80),
            CoinName("solana", "Solana", "sol", 5),
            CoinName("chainlink", "Chainlink", "link", 12),
            CoinName("obscure", "Obscure", "obs", 900),
        ]
    )


def test_mentions_find_names_plurals_compounds_and_symbols():
    text = (
        "Der Bitcoin-ETF brachte Bitcoins Auftrieb; der Bitcoinkurs stieg. BTC und ETH legten "
        "zu, Ether ebenso. Bitcoin Cash blieb zurück. Solanas Netz ist schnell."
    )
    counts = matcher().count(text)
    assert counts["bitcoin"] == 4
    assert counts["ethereum"] == 2
    assert counts["bitcoin-cash"] == 1
    assert counts["solana"] == 1


def test_mentions_skip_everyday_words_and_lowercase_symbols():
    text = "Maker- und Taker-Gebühren; ein LINK zur Seite; eth ist klein; OBS zählt nicht."
    assert matcher().count(text) == {}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", Decimal(1)),
        ("0,5", Decimal("0.5")),
        ("1.000", Decimal(1000)),
        ("1.234,56", Decimal("1234.56")),
        ("2.5", Decimal("2.5")),
        (" 12 345,5 € ", Decimal("12345.5")),
    ],
)
def test_parse_amount_german(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["", "abc", "-1", "1,2,3", "1e5", "9" * 40, "NaN"])
def test_parse_amount_rejects_garbage(text):
    with pytest.raises(AmountError):
        parse_amount(text)


def test_logos_are_normalised_and_generated():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 150), "red").save(buffer, format="JPEG")
    png = logos.logo_normalise(buffer.getvalue())
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (64, 64)
    for garbage in (b"", b"<svg></svg>", b"\x89PNG\r\n\x1a\nkaputt"):
        with pytest.raises(logos.LogoError):
            logos.logo_normalise(garbage)
    with Image.open(io.BytesIO(logos.logo_generate(symbol="btc", seed="bitcoin"))) as image:
        assert image.size == (64, 64)
