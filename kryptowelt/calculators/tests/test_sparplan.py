"""The Sparplan backtest: hand-computed cases, and long generated price histories checked
against an independent calculation written here with floats. All price series in this file
are synthetic."""

import bisect
import datetime as dt
import math
import random
from decimal import Decimal

import pytest

from kryptowelt.calculators.sparplan.backtest import sparplan_backtest
from kryptowelt.calculators.sparplan.results import Fees, SparplanError
from kryptowelt.calculators.sparplan.returns import xirr
from kryptowelt.calculators.sparplan.schedule import add_months, schedule_dates

D = Decimal


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# A small made-up history: no price on 1 January, a crash in March.
SMALL = [
    (day("2023-12-29"), D(42000)),
    (day("2024-01-02"), D(40000)),
    (day("2024-01-15"), D(45000)),
    (day("2024-02-01"), D(50000)),
    (day("2024-03-01"), D(20000)),
    (day("2024-03-31"), D(25000)),
]


def test_hand_computed_monthly_plan_with_fee_and_a_missing_first_day():
    result = sparplan_backtest(
        series=SMALL,
        amount=D(100),
        interval="monatlich",
        start=day("2024-01-01"),
        end=day("2024-03-31"),
        fees=Fees(percent=D(1)),
    )
    # 1 January has no price: the first purchase moves to 2 January.
    assert [p.executed for p in result.purchases] == [
        day("2024-01-02"),
        day("2024-02-01"),
        day("2024-03-01"),
    ]
    assert result.purchases[0].moved and not result.purchases[1].moved
    # 99 € buy coins each time: 99/40000 + 99/50000 + 99/20000
    assert [p.coins for p in result.purchases] == [D("0.002475"), D("0.00198"), D("0.00495")]
    assert result.coins == D("0.009405")
    assert result.invested == D(300)
    assert result.fees_total == D(3)
    assert result.value == D("235.125")
    assert result.profit == D("-64.875")
    assert result.profit_percent == D("-21.625")
    # Value 222,75 € on 1 Feb, 188,10 € on 1 March (after the third payment).
    assert result.max_drawdown.peak_day == day("2024-02-01")
    assert result.max_drawdown.trough_day == day("2024-03-01")
    assert result.max_drawdown.peak_value == D("222.75")
    assert result.max_drawdown.trough_value == D("188.1")
    assert round(result.max_drawdown.percent, 6) == round(D("188.1") / D("222.75") * 100 - 100, 6)
    assert result.worst_profit == D("-111.9") and result.worst_profit_day == day("2024-03-01")
    # Less than a year: no annualised figure.
    assert result.annualised_percent is None
    # Everything at once on 2 January: 300 € − 3 € fee = 297 € → 0.007425 BTC.
    assert result.lump_sum.coins == D("0.007425")
    assert result.lump_sum.value == D("185.625")
    assert result.lump_sum.profit == D("-114.375")
    [year] = result.years
    assert (year.year, year.invested, year.value_end) == (2024, D(300), D("235.125"))
    assert [p.day for p in result.series] == [d for d, _ in SMALL[1:]]
    assert [p.invested for p in result.series] == [100.0, 100.0, 200.0, 300.0, 300.0]


def test_fixed_fee_and_spread_make_every_purchase_dearer():
    result = sparplan_backtest(
        series=SMALL,
        amount=D(100),
        interval="monatlich",
        start=day("2024-01-02"),
        end=day("2024-01-31"),
        fees=Fees(fixed=D(1), spread_percent=D("0.5")),
    )
    [purchase] = result.purchases
    assert purchase.fee == D(1)
    assert purchase.price == D("40200")  # 40000 € + 0,5 %
    assert purchase.coins == D(99) / D(40200)


def test_monthly_dates_keep_the_day_and_clamp_short_months():
    dates = schedule_dates(start=day("2024-01-31"), end=day("2024-05-31"), interval="monatlich")
    assert dates == [
        day("2024-01-31"),
        day("2024-02-29"),
        day("2024-03-31"),
        day("2024-04-30"),
        day("2024-05-31"),
    ]
    assert add_months(day("2023-01-31"), 1) == day("2023-02-28")


def test_weekly_and_fortnightly_dates():
    weekly = schedule_dates(start=day("2024-01-01"), end=day("2024-01-29"), interval="woechentlich")
    assert len(weekly) == 5 and weekly[-1] == day("2024-01-29")
    fortnightly = schedule_dates(
        start=day("2024-01-01"), end=day("2024-01-29"), interval="zweiwoechentlich"
    )
    assert fortnightly == [day("2024-01-01"), day("2024-01-15"), day("2024-01-29")]


def test_xirr_of_a_single_payment_is_its_yearly_growth():
    rate = xirr([(day("2020-01-01"), -1000.0), (day("2021-01-01"), 1100.0)])
    assert rate == pytest.approx(1.1 ** (365 / 366) - 1, abs=1e-9)
    # Two payments, one value: solved by hand with the XIRR formula.
    flows = [(day("2020-01-01"), -100.0), (day("2020-07-01"), -100.0), (day("2021-01-01"), 230.0)]
    rate = xirr(flows)
    npv = sum(a / (1 + rate) ** ((d - flows[0][0]).days / 365) for d, a in flows)
    assert abs(npv) < 1e-6 and 0.1 < rate < 0.3


def test_start_before_history_and_end_after_it_are_moved_with_a_note():
    result = sparplan_backtest(
        series=SMALL,
        amount=D(50),
        interval="woechentlich",
        start=day("2023-06-01"),
        end=day("2024-06-30"),
        coin_name="Testcoin",
    )
    assert result.start == day("2023-12-29")
    assert result.end == day("2024-03-31")
    # Weekly from Thursday 1 June 2023: the first date with data is Thursday 4 January.
    assert result.purchases[0].scheduled == day("2024-01-04")
    assert result.purchases[0].executed == day("2024-01-15")
    assert any("erst ab dem 29.12.2023" in n for n in result.notes)
    assert any("bis zum 31.03.2024" in n for n in result.notes)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": D(0)}, "größer als 0"),
        ({"amount": D(-5)}, "größer als 0"),
        ({"end": day("2023-12-31")}, "vor dem Startdatum"),
        ({"interval": "taeglich"}, "Unbekanntes Intervall"),
        ({"fees": Fees(fixed=D(100))}, "so hoch wie der Sparbetrag"),
        ({"fees": Fees(percent=D(-1))}, "nicht negativ"),
        ({"series": []}, "keine Kursdaten"),
        ({"start": day("2030-01-01"), "end": day("2030-02-01")}, "außerhalb"),
    ],
)
def test_bad_input_raises_a_german_message(kwargs, message):
    params = {
        "series": SMALL,
        "amount": D(100),
        "interval": "monatlich",
        "start": day("2024-01-01"),
        "end": day("2024-03-31"),
    } | kwargs
    with pytest.raises(SparplanError, match=message):
        sparplan_backtest(**params)


# --- long histories: hand-computed, and checked against an independent calculation ---------
#
# Every price series below is synthetic, made up or generated here; none is a real history.


def _daily(start: str, end: str, close) -> list[tuple[dt.date, Decimal]]:
    """One close per day from `start` to `end`, `close(day)` giving the price."""
    first, last = day(start), day(end)
    return [
        (first + dt.timedelta(days=i), close(first + dt.timedelta(days=i)))
        for i in range((last - first).days + 1)
    ]


def test_two_year_monthly_plan_with_a_crash_in_the_last_month_computed_by_hand():
    # Made up: 9.900 € through 2020, 19.800 € from January to November 2021, then back to
    # 9.900 € in December 2021. 100 € a month with 1 % fee: 99 € buy 0,01 coins at 9.900 €
    # and 0,005 coins at 19.800 €.
    def close(d):
        return D(19800) if dt.date(2021, 1, 1) <= d <= dt.date(2021, 11, 30) else D(9900)

    result = sparplan_backtest(
        series=_daily("2020-01-01", "2021-12-31", close),
        amount=D(100),
        interval="monatlich",
        start=day("2020-01-01"),
        end=day("2021-12-31"),
        fees=Fees(percent=D(1)),
    )
    assert len(result.purchases) == 24 and result.invested == D(2400)
    assert result.fees_total == D(24)
    assert result.coins == D("0.185")  # 12 · 0,01 + 11 · 0,005 + 0,01
    assert result.value == D("1831.5")  # 0,185 · 9.900 €
    assert result.profit == D("-568.5")
    assert result.average_price == D(2376) / D("0.185")
    # Highest value: 0,175 coins · 19.800 € = 3.465 € from 1 November; lowest after it:
    # 1.831,50 € on 1 December. 1.831,5 / 3.465 − 1 = −33/70.
    drawdown = result.max_drawdown
    assert (drawdown.peak_day, drawdown.peak_value) == (day("2021-11-01"), D(3465))
    assert (drawdown.trough_day, drawdown.trough_value) == (day("2021-12-01"), D("1831.5"))
    assert drawdown.percent == (D("1831.5") - D(3465)) / D(3465) * 100
    assert round(drawdown.percent, 10) == round(D(-3300) / D(70), 10)
    assert (result.worst_profit, result.worst_profit_day) == (D("-568.5"), day("2021-12-01"))
    # Everything at once on 1 January 2020: 2.376 € buy 0,24 coins, worth 2.376 € at the end.
    lump = result.lump_sum
    assert (lump.coins, lump.value, lump.profit) == (D("0.24"), D(2376), D(-24))
    y2020, y2021 = result.years
    assert (y2020.invested, y2020.fees, y2020.coins_bought) == (D(1200), D(12), D("0.12"))
    assert (y2020.average_price, y2020.value_end, y2020.profit) == (D(9900), D(1188), D(-12))
    assert (y2021.coins_bought, y2021.invested_total, y2021.value_end) == (
        D("0.065"),
        D(2400),
        D("1831.5"),
    )
    # Two years: annualised; the XIRR is the rate at which the payments grow into 1.831,50 €.
    rate = float(result.annualised_percent) / 100
    flows = [(p.executed, -100.0) for p in result.purchases] + [(day("2021-12-31"), 1831.5)]
    npv = sum(a / (1 + rate) ** ((d - day("2020-01-01")).days / 365) for d, a in flows)
    assert abs(npv) < 1e-6 and rate < 0


def _random_walk(start: str, end: str, *, seed: int, first: float) -> list[tuple[str, float]]:
    """A generated daily price path (ups and downs like a crypto chart), as (ISO day, close)."""
    rnd = random.Random(seed)
    price, rows = first, []
    current, last = day(start), day(end)
    while current <= last:
        price *= math.exp(rnd.gauss(0.0008, 0.035))
        rows.append((current.isoformat(), round(price, 2)))
        current += dt.timedelta(days=1)
    return rows


def _independent_plan(rows, *, amount, fee_percent, dates):
    """Savings plan computed the plain way: floats, first row on or after each date."""
    keys = [d for d, _ in rows]
    coins = 0.0
    paid = 0.0
    for scheduled in dates:
        i = bisect.bisect_left(keys, scheduled)
        coins += amount * (1 - fee_percent / 100) / rows[i][1]
        paid += amount
    return coins, paid


def test_monthly_plan_on_a_generated_five_year_history_matches_an_independent_calculation():
    raw = _random_walk("2019-06-01", "2025-01-31", seed=7, first=8000.0)
    series = [(day(d), Decimal(str(c))) for d, c in raw]
    result = sparplan_backtest(
        series=series,
        amount=D(100),
        interval="monatlich",
        start=day("2020-01-01"),
        end=day("2024-12-31"),
        fees=Fees(percent=D("1.0")),
    )
    months = [f"{y}-{m:02d}-01" for y in range(2020, 2025) for m in range(1, 13)]
    coins, paid = _independent_plan(raw, amount=100.0, fee_percent=1.0, dates=months)
    closes = dict(raw)
    assert len(result.purchases) == 60
    assert float(result.invested) == paid == 6000.0
    assert float(result.coins) == pytest.approx(coins, rel=1e-12)
    assert float(result.value) == pytest.approx(coins * closes["2024-12-31"], rel=1e-12)
    lump_coins = 6000 * 0.99 / closes["2020-01-01"]
    assert float(result.lump_sum.value) == pytest.approx(lump_coins * closes["2024-12-31"])
    # The largest fall of the account value, found by brute force over all pairs of days.
    values = []
    held = 0.0
    buys = {m: 99.0 / closes[m] for m in months}
    for d, close in raw:
        if "2020-01-01" <= d <= "2024-12-31":
            held += buys.get(d, 0.0)
            values.append(held * close)
    worst = 0.0
    for i, high in enumerate(values):
        for low in values[i + 1 :]:
            worst = min(worst, low / high - 1)
    assert worst < -0.2  # the generated path does fall
    assert float(result.max_drawdown.percent) == pytest.approx(worst * 100, rel=1e-9)
    # XIRR: the rate at which the payments grow into the end value.
    rate = float(result.annualised_percent) / 100
    npv = sum(-100 / (1 + rate) ** ((day(m) - day("2020-01-01")).days / 365) for m in months)
    npv += float(result.value) / (1 + rate) ** ((day("2024-12-31") - day("2020-01-01")).days / 365)
    assert abs(npv) < 1e-4
    assert [y.year for y in result.years] == [2020, 2021, 2022, 2023, 2024]
    assert float(result.years[2].invested_total) == 3600.0


def test_weekly_plan_on_dollar_prices_converted_with_the_latest_exchange_rate():
    """Generated USD closes (every day) divided by generated USD-per-EUR rates (working days
    only, like the ECB's): each day uses the most recent rate, as the markets app does."""
    usd = _random_walk("2021-02-20", "2025-02-28", seed=11, first=1500.0)
    rnd = random.Random(3)
    fx = []
    current = day("2021-02-15")
    while current <= day("2025-02-28"):
        if current.weekday() < 5:
            fx.append((current.isoformat(), round(rnd.uniform(1.02, 1.22), 4)))
        current += dt.timedelta(days=1)
    fx_days = [d for d, _ in fx]
    raw = []
    for d, price in usd:
        rate = fx[bisect.bisect_right(fx_days, d) - 1][1]
        raw.append((d, price / rate))
    series = [(day(d), Decimal(repr(c))) for d, c in raw]
    result = sparplan_backtest(
        series=series,
        amount=D(25),
        interval="woechentlich",
        start=day("2021-03-01"),
        end=day("2025-02-28"),
    )
    dates = []
    current = day("2021-03-01")
    while current <= day("2025-02-28"):
        dates.append(current.isoformat())
        current += dt.timedelta(days=7)
    coins, paid = _independent_plan(raw, amount=25.0, fee_percent=0.0, dates=dates)
    assert len(result.purchases) == len(dates) == 209
    assert float(result.invested) == paid
    assert float(result.coins) == pytest.approx(coins, rel=1e-9)
    assert float(result.value) == pytest.approx(coins * dict(raw)["2025-02-28"], rel=1e-9)
