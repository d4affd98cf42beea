"""Line charts: accessible, every series drawn, and every label inside the viewBox for the
portal's value formatters, from 0,000012 € to 1.234.567,89 €. Data here is synthetic."""

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest

from kryptowelt.calculators.presenters import euro_tick_label
from kryptowelt.charts import svg
from kryptowelt.charts.linechart import NARROW, SIZES, WIDE, Series, line_chart_svg
from kryptowelt.core.formatting import format_time_tick
from kryptowelt.markets.charts import price_tick_label

BERLIN = ZoneInfo("Europe/Berlin")
START = dt.datetime(2016, 1, 1, tzinfo=dt.UTC).timestamp()
DAY = 86400


def renderings(markup: str) -> list[ET.Element]:
    """The <svg> elements of a chart's markup (one per size)."""
    return list(ET.fromstring(f"<charts>{markup}</charts>"))  # noqa: S314 - our own output


def label_boxes(root: ET.Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every <text> with its estimated (left, top, right, bottom), as the browser places it."""
    font_size = float(root.get("font-size"))
    boxes = []
    for text in root.iter("text"):
        dy = text.get("dy", "0em")
        assert dy.endswith("em")
        box = svg.text_box(
            text.text,
            x=float(text.get("x")),
            y=float(text.get("y")),
            font_size=font_size,
            anchor=text.get("text-anchor", "start"),
            dy_em=float(dy[:-2]),
        )
        boxes.append((text.text, box))
    return boxes


def chart(values, *, days=1.0, value_label=price_tick_label, from_zero=False, sizes=SIZES):
    xs = [START + i * days * DAY / (len(values) - 1) for i in range(len(values))]
    return line_chart_svg(
        xs=xs,
        series=[Series("price", values, area=True)],
        dom_id="c",
        title="Kursverlauf",
        description="Beschreibung",
        value_label=value_label,
        time_label=format_time_tick,
        tz=BERLIN,
        sizes=sizes,
        from_zero=from_zero,
        interactive=True,
    )


def wave(low, high, count=500):
    """Synthetic: a wave between low and high."""
    return [low + (high - low) * (0.5 + 0.5 * math.sin(i / 30)) for i in range(count)]


CASES = {
    "120.000 €": (wave(95_000, 120_000), price_tick_label),
    "1.234.567,89 €": (wave(1_234_567.80, 1_234_567.89), price_tick_label),
    "Millionen seit null": (wave(10_000, 1_234_567.89), price_tick_label),
    "0,000012 €": (wave(0.0000113, 0.000012), price_tick_label),
    "Sparplan": (wave(0, 1_234_567.89), euro_tick_label),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("days", [1, 7, 30, 365, 3653])
def test_every_label_lies_inside_the_viewbox(case, days):
    values, value_label = CASES[case]
    markup = chart(values, days=days, value_label=value_label, from_zero=case == "Sparplan")
    roots = renderings(markup)
    assert len(roots) == len(SIZES)
    for root in roots:
        _, _, width, height = map(float, root.get("viewBox").split())
        boxes = label_boxes(root)
        assert len(boxes) >= 4  # value labels at least
        for text, (left, top, right, bottom) in boxes:
            assert left >= 0 and right <= width, (root.get("id"), text, left, right, width)
            assert top >= 0 and bottom <= height, (root.get("id"), text, top, bottom, height)
        # Value labels end left of the plot; time labels do not run into each other.
        plot_left = float(root.get("data-x0"))
        assert all(right < plot_left for t, (_, _, right, _) in boxes if t.endswith("€"))
        time_boxes = sorted(box for t, box in boxes if not t.endswith("€"))
        assert all(a[2] < b[0] for a, b in zip(time_boxes, time_boxes[1:], strict=False))


def test_long_labels_widen_the_left_margin():
    small = renderings(chart(wave(1, 2), sizes=[NARROW]))[0]
    large = renderings(chart(wave(1_234_567.80, 1_234_567.89), sizes=[NARROW]))[0]
    assert float(large.get("data-x0")) > float(small.get("data-x0")) + 40
    widest = max(r - left for _, (left, _, r, _) in label_boxes(large))
    assert float(large.get("data-x0")) > widest


def test_narrow_rendering_stays_tall_on_a_phone():
    # Drawn 358 px wide (390 px screen less padding), the chart must stay readable.
    assert NARROW.height * 358 / NARROW.width >= 200
    assert NARROW.font_size * 358 / NARROW.width >= 12


def test_both_renderings_are_accessible_images_with_their_own_ids():
    markup = line_chart_svg(
        xs=[START + i * DAY for i in range(10)],
        series=[Series("value", [float(i) for i in range(10)], stroke="#00f")],
        dom_id="t",
        title="Titel <mit> Zeichen",
        description="Beschreibung & mehr",
        value_label=euro_tick_label,
        time_label=format_time_tick,
        tz=dt.UTC,
    )
    wide, narrow = renderings(markup)
    for root, dom_id, size in ((wide, "t", "chart--wide"), (narrow, "t-mobil", "chart--narrow")):
        assert root.get("id") == dom_id and root.get("role") == "img"
        assert root.get("class").split() == ["chart", size]
        assert root.get("aria-labelledby") == f"{dom_id}-title {dom_id}-desc"
        assert root.find("title").get("id") == f"{dom_id}-title"
        assert root.find("title").text == "Titel <mit> Zeichen"
        assert root.find("desc").text == "Beschreibung & mehr"
        assert all(g.get("aria-hidden") == "true" for g in root.iter("g"))
        assert all(p.get("aria-hidden") == "true" for p in root.iter("path"))
    assert "Titel &lt;mit&gt; Zeichen" in markup


def test_every_series_is_drawn_with_its_dash_and_only_areas_are_filled():
    xs = [START + i * DAY for i in range(400)]
    markup = line_chart_svg(
        xs=xs,
        series=[
            Series("value", wave(0, 900, 400), stroke="#00f"),
            Series("invested", [float(i) for i in range(400)], stroke="#333", dash="6 4"),
        ],
        dom_id="s",
        title="t",
        description="d",
        value_label=euro_tick_label,
        time_label=format_time_tick,
        tz=dt.UTC,
        sizes=[WIDE],
        from_zero=True,
    )
    (root,) = renderings(markup)
    lines = [p for p in root.iter("path") if "chart__line" in p.get("class")]
    assert [p.get("class") for p in lines] == [
        "chart__line chart__line--value",
        "chart__line chart__line--invested",
    ]
    assert [p.get("stroke-dasharray") for p in lines] == [None, "6 4"]
    assert not [p for p in root.iter("path") if "chart__area" in p.get("class")]
    assert root.get("tabindex") is None and root.find("g[@class='chart__cursor']") is None
    labels = [t.text for t in root.iter("text")]
    assert labels[0] == "0\u00a0€"  # from zero


def test_interactive_chart_carries_its_downsampled_data():
    values = [400 * math.exp(d / 700) for d in range(3653)]
    for root, size in zip(renderings(chart(values, days=3652)), SIZES, strict=True):
        times = root.get("data-t").split()
        shown = [float(v) for v in root.get("data-v").split()]
        assert size.max_points - 2 <= len(times) == len(shown) <= size.max_points
        assert shown[0] == values[0] and shown[-1] == pytest.approx(values[-1])
        assert float(root.get("data-v0")) <= min(shown) and float(root.get("data-v1")) >= max(shown)
        assert root.get("tabindex") == "0" and root.find("g[@class='chart__cursor']") is not None
        years = [t.text for t in root.iter("text") if re.fullmatch(r"20\d\d", t.text)]
        assert len(years) >= 3


def test_nothing_to_draw_gives_no_markup():
    common = {
        "dom_id": "x",
        "title": "",
        "description": "",
        "value_label": euro_tick_label,
        "time_label": format_time_tick,
        "tz": dt.UTC,
    }
    assert line_chart_svg(xs=[START], series=[Series("a", [1.0])], **common) == ""
    assert line_chart_svg(xs=[START, START + DAY], series=[], **common) == ""
