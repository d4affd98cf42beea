import datetime as dt
from decimal import Decimal

import pytest

from kryptowelt.core import formatting as f


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("97400000000"), "97,4\u00a0Mrd.\u00a0US-Dollar"),
        (1_250_000, "1,3\u00a0Mio.\u00a0US-Dollar"),
        (2.5e12, "2,5\u00a0Bio.\u00a0US-Dollar"),
        (97_512, "97,5\u00a0Tsd.\u00a0US-Dollar"),
        (950, "950,0\u00a0US-Dollar"),
        (None, "–"),
    ],
)
def test_compact_amounts(value, expected):
    assert f.format_compact(value, "US-Dollar") == expected


def test_numbers_money_percent():
    assert f.format_number(1234567.891) == "1.234.567,89"
    assert f.format_number(Decimal("-0.004")) == "0,00"
    assert f.format_number(-1234.5, 1) == "-1.234,5"
    assert f.format_eur(Decimal("43210.005")) == "43.210,01\u00a0€"
    assert f.format_percent(3.25, sign=True) == "+3,3\u00a0%"
    assert f.format_price(Decimal("0.000123456")) == "0,00012346\u00a0€"
    assert f.format_price(Decimal("0.5")) == "0,5000\u00a0€"
    assert f.format_number("kein Wert") == "–"
    assert f.format_number(float("nan")) == "–"


def test_dates():
    moment = dt.datetime(2026, 11, 24, 14, 5)
    assert f.format_date(moment) == "24. November 2026"
    assert f.format_date(dt.date(2026, 3, 1)) == "1. März 2026"
    assert f.format_datetime(moment) == "24. November 2026, 14:05 Uhr"
    assert f.format_datetime_short(moment) == "24.11.2026, 14:05 Uhr"


def test_chart_time_ticks_read_german():
    monday = dt.datetime(2026, 11, 30, 14)
    assert f.format_time_tick(monday, "hour") == "14:00"
    assert f.format_time_tick(monday, "day") == "Mo 30.11."
    assert f.format_time_tick(monday, "week") == "30.11."
    assert f.format_time_tick(dt.datetime(2026, 3, 1), "month") == "März"
    assert f.format_time_tick(dt.datetime(2026, 9, 1), "month") == "Sept."
    assert f.format_time_tick(dt.datetime(2027, 1, 1), "year") == "2027"
