"""On a 390 × 844 phone screen, in Debian's Chromium: every chart label lies inside the
screen and inside its chart, and the charts are tall enough to read. Price histories here
are synthetic, written by the test."""

import datetime as dt
import io
import math
import re
from pathlib import Path

import pytest

from kryptowelt.markets.services.imports import price_history_import

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
MIN_CHART_HEIGHT = 180

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium fehlt (/usr/bin/chromium)"),
]


def _import_history(coin_id: str, name: str, low: float, high: float, days: int) -> None:
    """Synthetic daily closes rising from about `low` to `high`, with a wave, ending today."""
    today = dt.date.today()
    rows = []
    for i in range(days):
        share = i / (days - 1)
        close = low * (high / low) ** share * (1 + 0.04 * math.sin(i / 9))
        rows.append(f"{today - dt.timedelta(days=days - 1 - i)},,,,{min(close, high):.12g},\n")
    price_history_import(
        source=io.StringIO("date,open,high,low,close,volume\n" + "".join(rows)),
        coin_id=coin_id,
        currency="eur",
        name=name,
        symbol=coin_id[:3],
    )


@pytest.fixture
def phone(live_server, home):
    from playwright.sync_api import sync_playwright

    _import_history("bitcoin", "Bitcoin", 3_000, 120_000, 3 * 365)
    _import_history("grosscoin", "Grosscoin", 20_000, 1_234_567.89, 2 * 365)
    _import_history("kleincoin", "Kleincoin", 0.0000031, 0.000012, 400)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        context = browser.new_context(locale="de-DE", viewport=PHONE)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        yield page, live_server.url
        context.close()
        browser.close()


def _check_visible_charts(page) -> int:
    """Assert the layout of every chart the page shows; returns how many there were."""
    charts = [c for c in page.locator("svg.chart").all() if c.is_visible()]
    for chart in charts:
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box["height"] >= MIN_CHART_HEIGHT, (chart.get_attribute("id"), box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        texts = chart.locator("text").all()
        assert len(texts) >= 4
        for text in texts:
            label, t = text.text_content(), text.bounding_box()
            assert t["x"] >= 0 and t["x"] + t["width"] <= PHONE["width"], (label, t)
            assert t["y"] >= 0 and t["y"] + t["height"] <= PHONE["height"], (label, t)
            assert box["x"] <= t["x"] and t["x"] + t["width"] <= box["x"] + box["width"], label
            assert box["y"] <= t["y"] and t["y"] + t["height"] <= box["y"] + box["height"], label
    return len(charts)


@pytest.mark.parametrize(
    ("coin", "longest_label"),
    [
        ("bitcoin", r"1\d\d\.000\u00a0€"),  # 120.000 €
        ("grosscoin", r"1\.\d{3}\.000\u00a0€"),  # 1.250.000 €
        ("kleincoin", r"0,0000\d+\u00a0€"),  # 0,0000120 €
    ],
)
def test_coin_charts_fit_a_phone(phone, coin, longest_label):
    page, base = phone
    labels = []
    for range_key in ("1m", "1j", "max"):
        page.goto(f"{base}/kurse/{coin}/?zeitraum={range_key}")
        assert _check_visible_charts(page) == 1
        assert page.locator(f"svg#chart-{coin}-{range_key}-mobil").is_visible()
        assert not page.locator(f"svg#chart-{coin}-{range_key}").is_visible()
        labels += page.locator("svg.chart--narrow text").all_text_contents()
    assert re.fullmatch(longest_label, max(labels, key=len)), labels
    # The read-out works on the rendering the phone shows.
    page.locator("svg.chart--narrow").hover()
    assert "€" in page.locator(".chart-readout").text_content()
    assert page.errors == []


def test_sparplan_chart_fits_a_phone(phone):
    page, base = phone
    start = (dt.date.today() - dt.timedelta(days=2 * 365)).isoformat()
    page.goto(
        f"{base}/rechner/sparplan/?coin=grosscoin&betrag=5000&intervall=monatlich"
        f"&start={start}&ende={dt.date.today().isoformat()}&gebuehr=1.0"
    )
    assert _check_visible_charts(page) == 1
    assert page.locator("svg#sparplan-chart-mobil").is_visible()
    assert page.errors == []


COUNT_FORMATTERS = """
window.__formatters = 0;
for (const name of ["NumberFormat", "DateTimeFormat"]) {
  const Original = Intl[name];
  Intl[name] = function (...args) { window.__formatters += 1; return new Original(...args); };
}
window.addEventListener("load", () => { window.__formattersAtLoad = window.__formatters; });
"""


def test_coin_page_loads_without_making_number_formatters(phone):
    """The page's first Intl formatter loads the browser's German locale data: about 20 ms
    of main-thread CPU, a long task in Lighthouse's trace of /kurse/bitcoin/ on a phone.
    The chart read-out and the converter make theirs when the reader first uses them."""
    page, base = phone
    page.add_init_script(COUNT_FORMATTERS)
    page.goto(f"{base}/kurse/bitcoin/")
    page.wait_for_function("window.__formattersAtLoad !== undefined")
    assert page.evaluate("window.__formattersAtLoad") == 0
    page.locator("svg.chart--narrow").hover()
    assert re.search(
        r"\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} Uhr: [\d.]+,\d{2}\u00a0€",
        page.locator(".chart-readout").text_content(),
    )
    page.locator("form[data-converter] input[name=menge]").fill("0,5")
    assert re.fullmatch(
        r"[\d.]+,\d{2}", page.locator("form[data-converter] input[name=euro]").input_value()
    )
    assert page.evaluate("window.__formatters") > 0
    assert page.errors == []
