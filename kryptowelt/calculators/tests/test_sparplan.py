"""The Sparplan backtest: hand-computed cases and real price history checked against an
independent calculation written here with floats and the csv module."""

import bisect
import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from kryptowelt.calculators.sparplan.backtest import sparplan_backtest
from kryptowelt.calculators.sparplan.results import Fees, SparplanError
from kryptowelt.calculators.sparplan.returns import xirr
from kryptowelt.calculators.sparplan.schedule import add_months, schedule_dates
from kryptowelt.testing import shared_path

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


# --- real history, independent calculation ---------------------------------------------------


def _read_closes(path: Path) -> list[tuple[str, float]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["date"], float(row["close"])) for row in csv.DictReader(handle)]


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


def test_monthly_bitcoin_plan_on_real_euro_history_matches_an_independent_calculation():
    raw = _read_closes(shared_path("data", "prices", "btc-eur-daily.csv"))
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
    worst, peak = 0.0, values[0]
    for v in values:
        peak = max(peak, v)
        worst = min(worst, v / peak - 1)
    assert float(result.max_drawdown.percent) == pytest.approx(worst * 100, rel=1e-9)
    # XIRR: the rate at which the payments grow into the end value.
    rate = float(result.annualised_percent) / 100
    npv = sum(-100 / (1 + rate) ** ((day(m) - day("2020-01-01")).days / 365) for m in months)
    npv += float(result.value) / (1 + rate) ** ((day("2024-12-31") - day("2020-01-01")).days / 365)
    assert abs(npv) < 1e-4
    assert [y.year for y in result.years] == [2020, 2021, 2022, 2023, 2024]
    assert float(result.years[2].invested_total) == 3600.0


def test_weekly_ether_plan_on_usdt_history_converted_with_ecb_rates():
    """ETH/USDT closes divided by the most recent ECB USD-per-EUR rate give euro prices."""
    with shared_path("data", "prices", "fx", "eur-usd-ecb-daily.csv").open(
        encoding="utf-8"
    ) as handle:
        fx = [(row["date"], float(row["usd_per_eur"])) for row in csv.DictReader(handle)]
    fx_days = [d for d, _ in fx]
    raw = []
    for d, usd in _read_closes(shared_path("data", "prices", "eth-usdt-daily.csv")):
        rate = fx[bisect.bisect_right(fx_days, d) - 1][1]
        raw.append((d, usd / rate))
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
    assert float(result.invested) == paid
    assert float(result.coins) == pytest.approx(coins, rel=1e-9)
    assert float(result.value) == pytest.approx(coins * dict(raw)["2025-02-28"], rel=1e-9)
