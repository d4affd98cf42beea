"""Value ticks are round and cover the data; time ticks sit on calendar boundaries."""

import datetime as dt
import math
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kryptowelt.charts.scales import LinearScale, nice_step, nice_ticks, step_decimals, time_ticks

BERLIN = ZoneInfo("Europe/Berlin")
END = dt.datetime(2026, 11, 24, 14, tzinfo=dt.UTC).timestamp()
DAY = 86400


@pytest.mark.parametrize(
    ("low", "high"),
    [(107245, 132760), (0.000008, 0.0000095), (0.99, 1.01), (5, 5), (0, 21022.28)],
)
def test_ticks_cover_the_data_in_equal_round_steps(low, high):
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high and len(ticks) >= 2
    steps = {round(b - a, 12) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1


# Prices and sums, not subnormal floats: below ~1e-300 a tick step cannot be rounded.
@given(st.floats(-1e7, 1e7, allow_subnormal=False), st.floats(1e-6, 1e7))
def test_ticks_for_any_range_are_few_round_and_covering(low, spread):
    assume(spread >= abs(low) * 1e-6)  # beyond that, float steps are not exact anyway
    high = low + spread
    ticks = nice_ticks(low, high)
    assert 2 <= len(ticks) <= 12
    assert ticks[0] <= low + abs(low) * 1e-9 and ticks[-1] >= high - abs(high) * 1e-9
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, f, rel_tol=1e-3) for f in (1, 2, 2.5, 5, 10))


def test_ticks_from_zero_step_through_round_thousands():
    ticks = nice_ticks(0, 21022.28)
    assert ticks == [0, 10000, 20000, 30000]
    assert nice_step(5255.57) == 10000 and nice_step(0.3) == 0.5 and nice_step(2.1) == 2.5


def test_step_decimals_tell_neighbouring_ticks_apart():
    assert step_decimals(25000) == 0 and step_decimals(2) == 0
    assert step_decimals(2.5) == 1  # 7,5 must not read 8
    assert step_decimals(0.5) == 2
    assert step_decimals(0.0000005) == 8


def test_linear_scale_maps_and_flips():
    y = LinearScale(0, 100, 300, 10)
    assert (y(0), y(100), y(50)) == (300, 10, 155)
    assert LinearScale(5, 5, 0, 10)(5) == 0  # a flat domain does not divide by zero


def test_a_day_gets_full_hours():
    ticks = time_ticks(END - DAY, END, BERLIN)
    assert ticks and {t.unit for t in ticks} == {"hour"} and len(ticks) <= 6
    assert all(t.moment.minute == 0 and t.moment.hour % 4 == 0 for t in ticks)


def test_a_week_gets_midnights_a_month_mondays():
    week = time_ticks(END - 7 * DAY, END, BERLIN)
    assert {t.unit for t in week} == {"day"}
    assert all((t.moment.hour, t.moment.minute) == (0, 0) for t in week)
    month = time_ticks(END - 30 * DAY, END, BERLIN)
    assert {t.unit for t in month} == {"week"}
    assert all(t.moment.weekday() == 0 and t.moment.hour == 0 for t in month)


def test_midnights_stay_midnights_across_daylight_saving():
    start = dt.datetime(2026, 3, 26, tzinfo=BERLIN).timestamp()
    ticks = time_ticks(start, start + 6 * DAY, BERLIN)
    assert [t.moment.day for t in ticks] == [26, 27, 28, 29, 30, 31, 1]
    assert all(t.moment.hour == 0 for t in ticks)


def test_a_year_gets_month_starts_and_january_names_the_year():
    ticks = time_ticks(END - 365 * DAY, END, BERLIN)
    assert all(t.moment.day == 1 and t.moment.hour == 0 for t in ticks)
    assert [t.unit for t in ticks if t.moment.month == 1] == ["year"]
    assert {t.unit for t in ticks if t.moment.month != 1} == {"month"}


def test_ten_years_get_year_starts_and_never_more_than_asked():
    start = dt.datetime(2016, 1, 1, tzinfo=dt.UTC).timestamp()
    for max_ticks in (4, 6, 8):
        ticks = time_ticks(start, start + 3653 * DAY, dt.UTC, max_ticks=max_ticks)
        assert {t.unit for t in ticks} == {"year"} and 2 <= len(ticks) <= max_ticks + 1
        assert all((t.moment.month, t.moment.day) == (1, 1) for t in ticks)


def test_finest_unit_keeps_a_short_sparplan_on_months():
    start = dt.datetime(2024, 1, 15, tzinfo=dt.UTC).timestamp()
    ticks = time_ticks(start, start + 119 * DAY, dt.UTC, finest="month")
    assert [t.moment.month for t in ticks] == [2, 3, 4, 5]
    assert {t.unit for t in ticks} == {"month"}


def test_no_ticks_for_an_empty_span():
    assert time_ticks(END, END, BERLIN) == []
