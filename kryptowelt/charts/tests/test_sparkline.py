"""Sparklines and series statistics."""

import re

from kryptowelt.charts.series import series_stats
from kryptowelt.charts.sparkline import MAX_POINTS, sparkline_svg


def points_of(markup: str) -> list[tuple[float, float]]:
    coords = re.search(r'points="([^"]+)"', markup).group(1).split()
    return [tuple(map(float, pair.split(","))) for pair in coords]


def test_sparkline_is_named_coloured_by_direction_and_spans_its_box():
    svg = sparkline_svg([3, 2, 1], label="7 Tage: -66 %")
    assert "sparkline--down" in svg and 'role="img" aria-label="7 Tage: -66 %"' in svg
    assert points_of(svg) == [(2, 2), (60, 16), (118, 30)]  # top left to bottom right
    assert "sparkline--up" in sparkline_svg([3, 2, 1], up=True)


def test_unnamed_sparkline_is_hidden_from_screen_readers():
    svg = sparkline_svg([1, 2], width=240, height=56)
    assert 'aria-hidden="true"' in svg and "role=" not in svg
    assert 'viewBox="0 0 240 56" width="240" height="56"' in svg


def test_long_sparkline_is_thinned_but_ends_at_the_last_value():
    values = [float(i % 17) for i in range(169)] + [99.0]
    points = points_of(sparkline_svg(values))
    assert len(points) <= MAX_POINTS + 1
    assert points[-1] == (118, 2)  # the last value is the highest: top right


def test_sparkline_needs_two_finite_values():
    assert sparkline_svg([1]) == ""
    assert sparkline_svg([1, float("nan"), None]) == ""


def test_series_stats():
    stats = series_stats([(1, 10.0), (2, 30.0), (3, 20.0)])
    assert (stats.high, stats.high_at, stats.low, stats.low_at) == (30.0, 2, 10.0, 1)
    assert (stats.first, stats.last, stats.change_percent) == (10.0, 20.0, 100.0)
    assert series_stats([(1, 0.0), (2, 5.0)]).change_percent is None
    assert series_stats([]) is None
