"""Downsampling: LTTB keeps the shape, the chart selection keeps the extremes."""

import math

from hypothesis import example, given
from hypothesis import strategies as st

from kryptowelt.charts.downsample import chart_indices, evenly_spaced, every_nth, lttb_indices


def ten_years_daily():
    """Synthetic: a growing, oscillating daily series over 3,653 days."""
    return [
        (day * 86400.0, 400 * math.exp(day / 700) * (1 + 0.3 * math.sin(day / 40)))
        for day in range(3653)
    ]


@given(st.lists(st.floats(0.0001, 1e6), min_size=2, max_size=500), st.integers(3, 600))
@example([5.0] * 20, 5)  # flat: every triangle has area 0
def test_lttb_returns_exactly_the_wanted_number_of_input_points_in_order(values, threshold):
    points = list(enumerate(values))
    chosen = lttb_indices(points, threshold)
    assert len(chosen) == min(threshold, len(points))
    assert chosen[0] == 0 and chosen[-1] == len(points) - 1
    # Strictly ascending indices into the input: order kept, no point twice, none invented.
    assert all(a < b for a, b in zip(chosen, chosen[1:], strict=False))
    assert set(chosen) <= set(range(len(points)))


@given(st.lists(st.floats(0.0001, 1e6), min_size=0, max_size=50), st.integers(0, 2))
def test_lttb_below_three_points_keeps_everything(values, threshold):
    points = list(enumerate(values))
    assert lttb_indices(points, threshold) == list(range(len(points)))


def test_lttb_picks_the_spike_in_its_bucket():
    points = [(i, 0.0) for i in range(100)]
    points[37] = (37, 50.0)
    chosen = lttb_indices(points, 10)
    assert 37 in chosen


def test_chart_selection_keeps_ends_extremes_and_size():
    points = ten_years_daily()
    chosen = chart_indices(points, 300)
    assert 298 <= len(chosen) <= 300
    assert chosen[0] == 0 and chosen[-1] == len(points) - 1
    values = [points[i][1] for i in chosen]
    assert max(values) == max(p[1] for p in points)
    assert min(values) == min(p[1] for p in points)
    assert chosen == sorted(set(chosen))


def test_chart_selection_keeps_a_single_day_peak_and_crash():
    values = [100.0] * 4000
    values[1234], values[2345] = 900.0, 1.0
    chosen = chart_indices(list(enumerate(values)), 300)
    assert len(chosen) <= 300
    assert {0, 1234, 2345, 3999} <= set(chosen)


def test_evenly_spaced_and_every_nth_keep_the_last_item():
    items = list(range(100))
    assert evenly_spaced(items, 12) == [0, 9, 18, 27, 36, 45, 54, 63, 72, 81, 90, 99]
    assert evenly_spaced(items[:5], 12) == items[:5]
    assert every_nth(items, 48) == list(range(0, 100, 3))  # 99 is the 34th
    assert every_nth([*items, 100], 48) == [*range(0, 100, 3), 100]
    assert every_nth(items[:10], 48) == items[:10]
    assert every_nth([], 48) == []
