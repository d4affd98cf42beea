"""The Django-free modules: price charts, trend maths, mention detection, amounts, logos."""

import datetime as dt
import io
import math
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from kryptowelt.charts.linechart import WIDE
from kryptowelt.charts.scales import nice_ticks
from kryptowelt.markets import charts, logos
from kryptowelt.markets.converter import AmountError, parse_amount
from kryptowelt.markets.mentions import CoinName, MentionMatcher
from kryptowelt.markets.trendmath import topic_trends

BERLIN = ZoneInfo("Europe/Berlin")


def ten_years_daily():
    """Synthetic: a growing, oscillating daily series over ten years."""
    start = dt.datetime(2016, 1, 1, tzinfo=dt.UTC).timestamp()
    return [
        (start + day * 86400, 400 * math.exp(day / 700) * (1 + 0.3 * math.sin(day / 40)))
        for day in range(3653)
    ]


def test_ten_year_chart_is_small_accessible_and_labelled():
    svg = charts.price_chart_svg(
        ten_years_daily(),
        dom_id="chart-x",
        title="Kursverlauf Bitcoin in Euro, gesamter Zeitraum",
        description="Von 400 € auf …",
        tz=BERLIN,
    )
    assert len(svg.encode()) < 30_000  # both renderings together
    for dom_id in ("chart-x", "chart-x-mobil"):
        assert f'aria-labelledby="{dom_id}-title {dom_id}-desc"' in svg
        assert f'<title id="{dom_id}-title">Kursverlauf Bitcoin' in svg
    assert svg.count('role="img"') == 2
    assert svg.startswith('<svg id="chart-x" class="price-chart price-chart--up chart chart--wide"')
    assert len(re.findall(r">20\d\d</text>", svg)) >= 6
    assert "\u00a0€</text>" in svg  # German price labels
    values = svg.split('data-v="')[1].split('"')[0].split()
    assert WIDE.max_points - 2 <= len(values) <= WIDE.max_points


def test_24h_chart_has_hour_labels_and_weekly_chart_weekday_labels():
    end = dt.datetime(2026, 11, 24, 14, tzinfo=dt.UTC).timestamp()
    day = [(end - i * 300, 80000 + i) for i in range(288)][::-1]
    svg = charts.price_chart_svg(day, dom_id="a", title="t", description="d", tz=BERLIN)
    assert re.search(r">\d\d:00</text>", svg)
    week = [(end - i * 3600, 80000 + i) for i in range(168)][::-1]
    svg = charts.price_chart_svg(week, dom_id="b", title="t", description="d", tz=BERLIN)
    assert re.search(r">(Mo|Di|Mi|Do|Fr|Sa|So) \d+\.\d+\.</text>", svg)
    assert "price-chart--down" in svg  # falling: the class colours it, the caption says it


def test_price_labels_tell_every_tick_apart():
    for low, high in ((107245, 132760), (5, 12), (0.0000113, 0.000012), (1234567.8, 1234567.89)):
        ticks = nice_ticks(low, high)
        labels = [charts.price_tick_label(t, ticks[1] - ticks[0]) for t in ticks]
        assert len(set(labels)) == len(labels), labels
        assert all(label.endswith("\u00a0€") for label in labels)
    assert charts.price_tick_label(120000.0, 10000.0) == "120.000\u00a0€"
    assert charts.price_tick_label(7.5, 2.5) == "7,5\u00a0€"
    assert charts.price_chart_svg([(0, 1.0)], dom_id="x", title="", description="", tz=BERLIN) == ""


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
