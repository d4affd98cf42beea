"""The German tax rules, hand-computed, plus properties of FIFO matching (hypothesis)."""

import datetime as dt
import gc
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kryptowelt.calculators.tax.records import TaxInputError, Transaction
from kryptowelt.calculators.tax.report import tax_report
from kryptowelt.calculators.tax.rules import freigrenze_23, holding_period_end, is_tax_free

D = Decimal
TODAY = dt.date(2026, 11, 25)


def tx(row, when, kind, coin, amount, price, fee="0", to_coin="", to_amount="0"):
    moment = dt.datetime.fromisoformat(when)
    return Transaction(
        row=row,
        when=moment,
        kind=kind,
        coin=coin,
        amount=D(amount),
        price=D(price),
        fee=D(fee),
        to_coin=to_coin,
        to_amount=D(to_amount),
    )


def report(*items):
    return tax_report(transactions=list(items), today=TODAY)


# --- holding period ------------------------------------------------------------------------


def test_the_issue_examples_one_day_decides():
    bought = dt.date(2023, 3, 15)
    assert not is_tax_free(acquired=bought, sold=dt.date(2024, 3, 15))
    assert is_tax_free(acquired=bought, sold=dt.date(2024, 3, 16))


def test_29_february_period_ends_on_28_february():
    assert holding_period_end(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert not is_tax_free(acquired=dt.date(2024, 2, 29), sold=dt.date(2025, 2, 28))
    assert is_tax_free(acquired=dt.date(2024, 2, 29), sold=dt.date(2025, 3, 1))
    # Bought on 28 February 2023, the period ends on 28 February 2024 (not the 29th).
    assert holding_period_end(dt.date(2023, 2, 28)) == dt.date(2024, 2, 28)
    assert is_tax_free(acquired=dt.date(2023, 2, 28), sold=dt.date(2024, 2, 29))


def test_sale_on_15_march_is_taxable_sale_on_16_march_is_tax_free():
    result = report(
        tx(2, "2023-03-15 10:00", "kauf", "BTC", "1", "20000", fee="10"),
        tx(3, "2024-03-15 18:00", "verkauf", "BTC", "0.5", "60000", fee="15"),
        tx(4, "2024-03-16 09:00", "verkauf", "BTC", "0.5", "60000"),
    )
    first, second = result.disposals
    # Cost 20.010 € (price plus fee) split in half; proceeds less the sale's fee.
    assert first.cost == D(10005) and first.proceeds == D(29985)
    assert first.gain == D(19980) and first.taxable_gain == D(19980)
    assert not first.matches[0].tax_free and first.matches[0].holding_days == 366
    assert second.gain == D(19995) and second.tax_free_gain == D(19995)
    assert second.matches[0].tax_free and second.matches[0].lot_row == 2
    year = result.year(2024)
    assert year.taxable_gains == D(19980)
    assert year.tax_free_gains == D(19995)
    assert year.taxable_amount == D(19980)


# --- Freigrenze ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "gain", "taxable"),
    [
        (2024, "999.99", "0"),
        (2024, "1000", "1000"),
        (2024, "1000.01", "1000.01"),
        (2023, "599.99", "0"),
        (2023, "600", "600"),
        (2023, "999.99", "999.99"),
        (2025, "999.99", "0"),
    ],
)
def test_freigrenze_is_a_limit_not_an_allowance(year, gain, taxable):
    result = report(
        tx(1, f"{year}-01-10", "kauf", "ETH", "1", "1000"),
        tx(2, f"{year}-06-10", "verkauf", "ETH", "1", str(D(1000) + D(gain))),
    )
    summary = result.year(year)
    assert summary.net_taxable == D(gain)
    assert summary.taxable_amount == D(taxable)
    assert summary.below_freigrenze is (D(taxable) == 0)


def test_freigrenze_values():
    assert freigrenze_23(2023) == 600 and freigrenze_23(2024) == 1000


def test_gains_and_losses_are_netted_within_the_year():
    result = report(
        tx(1, "2024-01-02", "kauf", "BTC", "1", "30000"),
        tx(2, "2024-01-02", "kauf", "ETH", "10", "2000"),
        tx(3, "2024-05-02", "verkauf", "BTC", "1", "31500"),  # +1.500
        tx(4, "2024-06-02", "verkauf", "ETH", "10", "1930"),  # −700
    )
    year = result.year(2024)
    assert year.taxable_gains == D(1500) and year.taxable_losses == D(-700)
    assert year.net_taxable == D(800)
    assert year.taxable_amount == 0  # below 1.000 €


def test_net_loss_is_reported_as_loss():
    result = report(
        tx(1, "2024-01-02", "kauf", "SOL", "10", "100"),
        tx(2, "2024-03-02", "verkauf", "SOL", "10", "60"),
    )
    year = result.year(2024)
    assert year.is_loss and year.taxable_amount == D(-400)


# --- FIFO, swaps, fees, income --------------------------------------------------------------


def test_fifo_uses_the_oldest_lot_first_and_splits_a_sale_across_periods():
    result = report(
        tx(1, "2023-01-01", "kauf", "BTC", "1", "100"),
        tx(2, "2023-06-01", "kauf", "BTC", "1", "200"),
        tx(3, "2024-03-01", "verkauf", "BTC", "1.5", "300"),
    )
    [sale] = result.disposals
    old, new = sale.matches
    assert (old.lot_row, old.amount, old.cost, old.proceeds, old.tax_free) == (
        1,
        D(1),
        D(100),
        D(300),
        True,
    )
    assert (new.lot_row, new.amount, new.cost, new.proceeds, new.tax_free) == (
        2,
        D("0.5"),
        D(100),
        D(150),
        False,
    )
    assert sale.tax_free_gain == D(200) and sale.taxable_gain == D(50)
    [holding] = result.holdings
    assert holding.amount == D("0.5") and holding.cost == D(100)
    assert holding.tax_free_from == dt.date(2024, 6, 2)


def test_swap_is_a_sale_and_a_purchase_at_the_euro_value():
    result = report(
        tx(1, "2024-01-10", "kauf", "ETH", "1", "2000"),
        # 1 ETH worth 2.500 € for 0,05 BTC, 5 € fee.
        tx(2, "2024-02-01", "tausch", "ETH", "1", "2500", fee="5", to_coin="BTC", to_amount="0.05"),
        tx(3, "2024-05-01", "verkauf", "BTC", "0.05", "60000"),
    )
    swap, sale = result.disposals
    assert swap.proceeds == D(2495) and swap.gain == D(495)
    assert sale.cost == D(2495) and sale.gain == D(505)
    assert sale.matches[0].acquired == dt.date(2024, 2, 1)
    year = result.year(2024)
    assert year.net_taxable == D(1000)
    assert year.taxable_amount == D(1000)  # exactly the Freigrenze: taxable in full


def test_fee_paid_in_coins_is_a_disposal():
    result = report(
        tx(1, "2024-01-01", "kauf", "BTC", "1", "30000"),
        tx(2, "2024-02-01", "gebuehr", "BTC", "0.0001", "40000"),
    )
    [fee] = result.disposals
    assert fee.kind == "gebuehr"
    assert fee.proceeds == D(4) and fee.cost == D(3) and fee.gain == D(1)
    assert result.holdings[0].amount == D("0.9999")


def test_staking_and_lending_income_with_its_own_freigrenze_and_new_lots():
    result = report(
        tx(1, "2024-03-01", "staking", "DOT", "10", "6"),  # 60 €
        tx(2, "2024-04-01", "lending", "USDC", "20", "1"),  # 20 €
        tx(3, "2025-01-05", "staking", "DOT", "32", "8"),  # 256 €
        tx(4, "2025-02-01", "verkauf", "DOT", "10", "9"),
    )
    y2024, y2025 = result.year(2024), result.year(2025)
    assert y2024.income == D(80) and y2024.income_taxable == 0
    assert y2024.income_by_kind == {"staking": D(60), "lending": D(20)}
    assert y2025.income == D(256) and y2025.income_taxable == D(256)
    # The staked DOT of March 2024 are sold within a year of receipt: cost is their value.
    [sale] = result.disposals
    assert sale.cost == D(60) and sale.gain == D(30) and sale.taxable_gain == D(30)
    assert sale.matches[0].acquired_kind == "staking"


def test_buy_and_sell_at_the_same_second_buy_first():
    result = report(
        tx(1, "2024-01-01 12:00:00", "verkauf", "ADA", "5", "1"),
        tx(2, "2024-01-01 12:00:00", "kauf", "ADA", "5", "0.5"),
    )
    assert result.disposals[0].gain == D("2.5")


# --- bad input -----------------------------------------------------------------------------


def test_selling_more_than_held_names_the_row():
    with pytest.raises(TaxInputError) as info:
        report(
            tx(2, "2024-01-01", "kauf", "BTC", "1", "30000"),
            tx(3, "2024-02-01", "verkauf", "BTC", "1.5", "35000"),
        )
    [message] = info.value.messages
    assert message.startswith("Zeile 3: Verkauf von 1,5 BTC am 01.02.2024")
    assert "nur 1 BTC im Bestand" in message


def test_selling_before_buying_is_an_error_even_if_bought_later():
    with pytest.raises(TaxInputError, match="Zeile 7"):
        report(
            tx(7, "2024-01-01", "verkauf", "ETH", "1", "2000"),
            tx(8, "2024-02-01", "kauf", "ETH", "1", "1800"),
        )


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (tx(5, "2027-01-01", "kauf", "BTC", "1", "1"), "Zeile 5: das Datum 01.01.2027 liegt in"),
        (tx(5, "2024-01-01", "kauf", "BTC", "0", "1"), "Zeile 5: die Menge muss größer als 0"),
        (tx(5, "2024-01-01", "kauf", "BTC", "-2", "1"), "Zeile 5: die Menge muss größer als 0"),
        (tx(5, "2024-01-01", "kauf", "BTC", "1", "-1"), "Preis kann nicht negativ"),
        (tx(5, "2024-01-01", "kauf", "EUR", "1", "1"), "gesetzliche Währung"),
        (tx(5, "2024-01-01", "tausch", "BTC", "1", "1"), "Ziel-Coin"),
    ],
)
def test_invalid_rows(item, message):
    with pytest.raises(TaxInputError) as info:
        report(item)
    assert message in info.value.messages[0]


# --- properties ----------------------------------------------------------------------------

COINS = ("BTC", "ETH", "SOL")


@st.composite
def histories(draw):
    """Buys, income, swaps and sales of three coins on distinct days; sales never exceed
    what is held at that moment (so the history is valid)."""
    count = draw(st.integers(min_value=1, max_value=40))
    start = dt.datetime(2021, 1, 1, 12)
    offsets = sorted(draw(st.lists(st.integers(0, 1800), min_size=count, max_size=count)))
    held = dict.fromkeys(COINS, D(0))
    items = []
    for row, offset in enumerate(offsets, start=2):
        when = start + dt.timedelta(days=offset, seconds=row)
        coin = draw(st.sampled_from(COINS))
        amount = D(draw(st.integers(1, 5000))) / 1000
        price = D(draw(st.integers(1, 100000))) / 10
        action = draw(st.sampled_from(["kauf", "kauf", "staking", "verkauf", "tausch"]))
        if action in {"verkauf", "tausch"}:
            if held[coin] <= 0:
                action = "kauf"
            else:
                amount = min(amount, held[coin])
        fee = D(draw(st.integers(0, 50))) / 10
        if action in {"kauf", "staking"}:
            held[coin] += amount
            items.append(tx(row, when.isoformat(), action, coin, amount, price, fee=fee))
        elif action == "verkauf":
            held[coin] -= amount
            fee = min(fee, amount * price)
            items.append(tx(row, when.isoformat(), action, coin, amount, price, fee=fee))
        else:
            target = draw(st.sampled_from([c for c in COINS if c != coin]))
            received = D(draw(st.integers(1, 5000))) / 1000
            held[coin] -= amount
            held[target] += received
            fee = min(fee, amount * price)
            items.append(
                tx(
                    row,
                    when.isoformat(),
                    "tausch",
                    coin,
                    amount,
                    price,
                    fee=fee,
                    to_coin=target,
                    to_amount=received,
                )
            )
    return items


def _fingerprint(result):
    return (
        [
            (d.row, d.coin, d.amount, d.proceeds, d.cost, tuple(m.lot_row for m in d.matches))
            for d in result.disposals
        ],
        [
            (y.year, y.taxable_gains, y.taxable_losses, y.tax_free_gains, y.income)
            for y in result.years
        ],
        [(h.coin, h.amount, h.cost) for h in result.holdings],
    )


@settings(max_examples=150, deadline=None)
@given(histories())
def test_fifo_never_sells_more_than_bought_and_matches_add_up(items):
    result = report(*items)
    acquired = dict.fromkeys(COINS, D(0))
    disposed = dict.fromkeys(COINS, D(0))
    for item in sorted(items, key=lambda t: t.when):
        if item.kind in {"kauf", "staking"}:
            acquired[item.coin] += item.amount
        else:
            disposed[item.coin] += item.amount
            if item.kind == "tausch":
                acquired[item.to_coin] += item.to_amount
        assert disposed[item.coin] <= acquired[item.coin]
    for disposal in result.disposals:
        assert sum(m.amount for m in disposal.matches) == disposal.amount
        assert sum(m.proceeds for m in disposal.matches) == disposal.proceeds
        assert sum(m.cost for m in disposal.matches) == disposal.cost
        acquired_dates = [m.acquired for m in disposal.matches]
        assert acquired_dates == sorted(acquired_dates)
        assert all(m.acquired <= disposal.when.date() for m in disposal.matches)
    for holding in result.holdings:
        assert holding.amount == acquired[holding.coin] - disposed[holding.coin]


@settings(max_examples=100, deadline=None)
@given(histories(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_the_order_of_entry(items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert _fingerprint(report(*shuffled)) == _fingerprint(report(*items))


@settings(max_examples=60, deadline=None)
@given(histories(), st.integers(1, 10**6))
def test_selling_more_than_held_is_always_refused(items, extra):
    held = {}
    for item in sorted(items, key=lambda t: t.when):
        sign = -1 if item.kind in {"verkauf", "tausch"} else 1
        held[item.coin] = held.get(item.coin, D(0)) + sign * item.amount
        if item.kind == "tausch":
            held[item.to_coin] = held.get(item.to_coin, D(0)) + item.to_amount
    coin = random.Random(extra).choice(COINS)
    too_much = held.get(coin, D(0)) + D(extra) / 1000
    last = max(t.when for t in items) + dt.timedelta(days=1)
    sale = tx(999, last.isoformat(), "verkauf", coin, too_much, "1")
    with pytest.raises(TaxInputError) as info:
        report(*items, sale)
    assert info.value.messages[0].startswith("Zeile 999:")


def test_the_garbage_collector_stays_on_while_the_report_is_computed():
    """The collector is process-wide (gunicorn threads share it): the engine must never
    switch it off, not even for a moment."""
    seen = []

    def transactions():
        seen.append(gc.isenabled())
        yield tx(2, "2024-01-01 10:00", "kauf", "BTC", "1", "30000")
        seen.append(gc.isenabled())
        yield tx(3, "2024-02-01 10:00", "verkauf", "BTC", "1", "35000")
        seen.append(gc.isenabled())

    assert gc.isenabled()
    result = tax_report(transactions=transactions(), today=TODAY)
    assert result.year(2024).net_taxable == 5000
    assert seen == [True, True, True]
