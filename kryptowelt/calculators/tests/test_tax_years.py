"""Across years, LIFO, transfers and open lots – each case hand-calculated, the calculation
written out next to it. All transactions are made up for these tests."""

import datetime as dt
from decimal import Decimal

import pytest

from kryptowelt.calculators.tax.records import TaxInputError, Transaction
from kryptowelt.calculators.tax.report import tax_report
from kryptowelt.calculators.tax.settings import TaxSettings

D = Decimal
TODAY = dt.date(2026, 11, 25)


def tx(row, when, kind, coin, amount, price="0", fee="0", to_coin="", to_amount="0", file=""):
    return Transaction(
        row=row,
        when=dt.datetime.fromisoformat(when),
        kind=kind,
        coin=coin,
        amount=D(amount),
        price=D(price),
        fee=D(fee),
        to_coin=to_coin,
        to_amount=D(to_amount),
        file=file,
    )


def report(*items, **settings):
    return tax_report(transactions=list(items), today=TODAY, settings=TaxSettings(**settings))


# --- losses across years (§ 23 Abs. 3 Sätze 7 und 8 EStG, § 10d EStG) -----------------------


def test_a_loss_is_carried_forward_and_used_up_by_a_later_gain():
    # 2024: bought 1 ETH for 3,000, sold for 2,000 → loss 1,000 (no 2023 to carry back to).
    # 2025: bought 1 SOL for 100, sold for 1,600 → gain 1,500 ≥ Freigrenze 1,000: taxable in
    #       full; the 1,000 loss is deducted → 500 € taxable, nothing left to carry.
    result = report(
        tx(1, "2024-02-01", "kauf", "ETH", "1", "3000"),
        tx(2, "2024-05-01", "verkauf", "ETH", "1", "2000"),
        tx(3, "2025-02-01", "kauf", "SOL", "1", "100"),
        tx(4, "2025-06-01", "verkauf", "SOL", "1", "1600"),
    )
    y2024, y2025 = result.year(2024), result.year(2025)
    assert y2024.net_taxable == D(-1000) and y2024.carryback_out == 0
    assert y2024.loss_added == D(1000) and y2024.carryforward_end == D(1000)
    assert y2024.after_losses == 0
    assert y2025.taxable_amount == D(1500)
    assert y2025.carryforward_used == D(1000)
    assert y2025.after_losses == D(500)
    assert y2025.carryforward_end == 0


def test_a_year_below_the_freigrenze_uses_up_no_loss_bfh_ix_r_27_04():
    # 2024: loss 1,000 (as above). 2025: gain 800 < 1,000 Freigrenze → tax-free, the loss is
    # not used for it (BFH IX R 27/04: the Freigrenze comes first). 2026: gain 1,200 →
    # taxable in full, minus the 1,000 loss → 200 € taxable.
    result = report(
        tx(1, "2024-02-01", "kauf", "ETH", "1", "3000"),
        tx(2, "2024-05-01", "verkauf", "ETH", "1", "2000"),
        tx(3, "2025-02-01", "kauf", "SOL", "1", "100"),
        tx(4, "2025-06-01", "verkauf", "SOL", "1", "900"),
        tx(5, "2026-02-01", "kauf", "ADA", "1", "100"),
        tx(6, "2026-06-01", "verkauf", "ADA", "1", "1300"),
    )
    y2025, y2026 = result.year(2025), result.year(2026)
    assert y2025.taxable_amount == 0 and y2025.carryforward_used == 0
    assert y2025.carryforward_end == D(1000)
    assert y2026.carryforward_used == D(1000) and y2026.after_losses == D(200)


def test_the_loss_deduction_may_leave_less_than_the_freigrenze_taxable():
    # 2025: gain 1,100 reaches the Freigrenze → taxable in full; a 900 loss from 2024 is
    # deducted → 200 € stay taxable, although below 1,000 € (BFH IX R 27/04).
    result = report(
        tx(1, "2024-02-01", "kauf", "ETH", "1", "1900"),
        tx(2, "2024-05-01", "verkauf", "ETH", "1", "1000"),
        tx(3, "2025-02-01", "kauf", "SOL", "1", "100"),
        tx(4, "2025-06-01", "verkauf", "SOL", "1", "1200"),
    )
    assert result.year(2025).after_losses == D(200)


def test_a_loss_is_carried_back_into_the_preceding_year_first():
    # 2023: gain 2,000 ≥ 600 (Freigrenze 2023) → taxable 2,000.
    # 2024: loss 1,500 → carried back into 2023 (§ 10d Abs. 1): 2023 keeps 500 taxable;
    # nothing is left to carry forward.
    result = report(
        tx(1, "2023-02-01", "kauf", "BTC", "1", "10000"),
        tx(2, "2023-06-01", "verkauf", "BTC", "1", "12000"),
        tx(3, "2024-02-01", "kauf", "ETH", "1", "3000"),
        tx(4, "2024-06-01", "verkauf", "ETH", "1", "1500"),
    )
    y2023, y2024 = result.year(2023), result.year(2024)
    assert y2023.freigrenze == D(600) and y2023.taxable_amount == D(2000)
    assert y2023.carryback_in == D(1500) and y2023.after_losses == D(500)
    assert y2024.carryback_out == D(1500) and y2024.loss_added == 0
    assert y2024.carryforward_end == 0


def test_without_carry_back_the_whole_loss_goes_forward():
    # Same data, the reader asks to refrain from the carry-back (§ 10d Abs. 1 Satz 5):
    # 2023 stays taxable with 2,000; 2024's 1,500 loss is carried forward in full.
    result = report(
        tx(1, "2023-02-01", "kauf", "BTC", "1", "10000"),
        tx(2, "2023-06-01", "verkauf", "BTC", "1", "12000"),
        tx(3, "2024-02-01", "kauf", "ETH", "1", "3000"),
        tx(4, "2024-06-01", "verkauf", "ETH", "1", "1500"),
        carry_back=False,
    )
    assert result.year(2023).after_losses == D(2000)
    assert result.year(2024).carryforward_end == D(1500)


def test_carry_back_only_into_what_the_preceding_year_has_taxable():
    # 2023: gain 500 < 600 → tax-free, nothing to carry back into. 2024: loss 700 → all of
    # it carried forward.
    result = report(
        tx(1, "2023-02-01", "kauf", "BTC", "1", "1000"),
        tx(2, "2023-06-01", "verkauf", "BTC", "1", "1500"),
        tx(3, "2024-02-01", "kauf", "ETH", "1", "1000"),
        tx(4, "2024-06-01", "verkauf", "ETH", "1", "300"),
    )
    assert result.year(2023).carryback_in == 0
    assert result.year(2024).carryforward_end == D(700)


def test_a_loss_from_before_the_upload_is_used_from_the_first_year():
    # Verlustvortrag 400 € stated at 31.12.2023; 2024: gain 1,000 (= Freigrenze) → taxable
    # 1,000 − 400 = 600.
    result = report(
        tx(1, "2024-02-01", "kauf", "BTC", "1", "1000"),
        tx(2, "2024-06-01", "verkauf", "BTC", "1", "2000"),
        carryforward=D(400),
        carryforward_year=2023,
    )
    assert result.year(2024).carryforward_used == D(400)
    assert result.year(2024).after_losses == D(600)


def test_a_loss_stated_for_a_year_of_the_upload_is_refused():
    with pytest.raises(TaxInputError) as info:
        report(
            tx(1, "2024-02-01", "kauf", "BTC", "1", "1000"),
            carryforward=D(400),
            carryforward_year=2024,
        )
    assert "zum 31.12.2023" in info.value.messages[0]


def test_losses_only_offset_section_23_not_staking_income():
    # 2024: loss 500 from a sale, staking income 300 (≥ 256 → taxable). The loss does not
    # reduce the § 22 Nr. 3 income (§ 23 Abs. 3 Satz 7 EStG).
    result = report(
        tx(1, "2024-02-01", "kauf", "ETH", "1", "1000"),
        tx(2, "2024-05-01", "verkauf", "ETH", "1", "500"),
        tx(3, "2024-06-01", "staking", "DOT", "30", "10"),
    )
    year = result.year(2024)
    assert year.income_taxable == D(300)
    assert year.carryforward_end == D(500)


# --- LIFO (FG Nürnberg 3 K 760/22), transfers, coins gone without payment ---------------------


def test_lifo_uses_the_newest_lot_first():
    # Bought 1 BTC at 10,000 (2023-01-10) and 1 BTC at 30,000 (2024-01-10); sold 1 BTC at
    # 25,000 on 2024-03-01.
    # FIFO: the 2023 lot, held > 1 year → tax-free gain 15,000.
    # LIFO: the 2024 lot, held 51 days → taxable loss −5,000.
    items = (
        tx(1, "2023-01-10", "kauf", "BTC", "1", "10000"),
        tx(2, "2024-01-10", "kauf", "BTC", "1", "30000"),
        tx(3, "2024-03-01", "verkauf", "BTC", "1", "25000"),
    )
    fifo, lifo = report(*items), report(*items, method="lifo")
    assert fifo.year(2024).tax_free_gains == D(15000) and fifo.year(2024).net_taxable == 0
    assert lifo.year(2024).net_taxable == D(-5000)
    [part] = lifo.disposals[0].matches
    assert part.lot_row == 2 and part.holding_days == 51 and not part.tax_free
    assert [lot.row for lot in lifo.lots] == [1] and [lot.row for lot in fifo.lots] == [2]


def test_transfers_between_own_wallets_keep_the_acquisition_day():
    # Bought on Bitpanda 2023-03-01, moved to Binance 2023-08-01, sold there 2024-03-05:
    # held from 2023-03-01 → more than a year → tax-free. The transfer changes nothing.
    result = report(
        tx(2, "2023-03-01 10:00", "kauf", "BTC", "0.5", "20000", file="bitpanda.csv"),
        tx(3, "2023-08-01 09:00", "auszahlung", "BTC", "0.5", file="bitpanda.csv"),
        tx(7, "2023-08-01 09:30", "einzahlung", "BTC", "0.5", file="binance.csv"),
        tx(8, "2024-03-05 12:00", "verkauf", "BTC", "0.5", "60000", file="binance.csv"),
    )
    [part] = result.disposals[0].matches
    assert part.tax_free and part.acquired == dt.date(2023, 3, 1)
    assert part.lot_file == "bitpanda.csv" and result.disposals[0].file == "binance.csv"
    assert [t.kind for t in result.transfers] == ["auszahlung", "einzahlung"]


def test_a_deposit_without_its_purchase_is_explained_not_guessed():
    with pytest.raises(TaxInputError) as info:
        report(
            tx(4, "2024-02-01", "einzahlung", "ETH", "2", file="binance.csv"),
            tx(9, "2024-03-01", "verkauf", "ETH", "2", "3000", file="binance.csv"),
        )
    [message] = info.value.messages
    assert message.startswith("„binance.csv“, Zeile 9: Verkauf von 2 ETH am 01.03.2024")
    assert "nur 0 ETH im Bestand" in message
    assert "2 ETH eingezahlt (zuletzt „binance.csv“, Zeile 4 am 01.02.2024)" in message
    assert "Laden Sie den Export der Börse oder Wallet mit hoch" in message


def test_a_sale_before_its_purchase_says_when_the_purchase_comes():
    with pytest.raises(TaxInputError) as info:
        report(
            tx(2, "2024-03-01", "verkauf", "SOL", "1", "100"),
            tx(3, "2024-03-02", "kauf", "SOL", "1", "90"),
        )
    assert "Eine Anschaffung von SOL folgt erst am 02.03.2024" in info.value.messages[0]


def test_coins_given_away_use_up_lots_without_gain_or_loss():
    # 2 ETH bought at 1,000 each; 1 ETH given away (abgang); 1 ETH sold at 1,500 within the
    # year → gain 500, from the second unit; the gift makes no loss of −1,000.
    result = report(
        tx(1, "2024-01-05", "kauf", "ETH", "2", "1000"),
        tx(2, "2024-02-05", "abgang", "ETH", "1"),
        tx(3, "2024-03-05", "verkauf", "ETH", "1", "1500"),
    )
    assert result.year(2024).net_taxable == D(500)
    assert len(result.removals) == 1 and result.removals[0].cost == D(1000)
    assert not result.lots


# --- what is left: open lots, "Steuerfrei ab", year-end holdings ------------------------------


def test_open_lots_with_the_day_they_become_tax_free():
    # 29 February 2024 + one year → period ends 28 February 2025 → tax-free from 1 March.
    result = report(
        tx(1, "2024-02-29", "kauf", "BTC", "0.3", "50000"),
        tx(2, "2024-05-10", "staking", "ETH", "0.1", "3000"),
        tx(3, "2024-06-01", "verkauf", "BTC", "0.1", "60000"),
    )
    btc, eth = result.lots
    assert (btc.coin, btc.amount, btc.tax_free_from) == ("BTC", D("0.2"), dt.date(2025, 3, 1))
    assert btc.cost == D(10000)  # two thirds of 15,000
    assert (eth.coin, eth.kind, eth.tax_free_from) == ("ETH", "staking", dt.date(2025, 5, 11))


def test_holdings_at_the_end_of_each_year():
    result = report(
        tx(1, "2022-06-01", "kauf", "BTC", "1", "20000"),
        tx(2, "2024-06-01", "verkauf", "BTC", "0.4", "60000"),
    )
    # 2022: 1 BTC; 2023 (no transactions): still 1 BTC; 2024: 0.6 BTC at 12,000.
    assert [h.amount for h in result.year_end[2022]] == [D(1)]
    assert [h.amount for h in result.year_end[2023]] == [D(1)]
    [held] = result.year_end[2024]
    assert held.amount == D("0.6") and held.cost == D(12000)
