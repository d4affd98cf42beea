"""The exchange exports added for issue 20: each read from a hand-made sample file under
tests/data/exchanges (written for these tests after the column sets named in
docs/calculators.md; no real statement), with the odd cases of its format. Euro values the
exports lack come from the made-up daily closes in `PRICES`."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from kryptowelt.calculators.tax.report import tax_report
from kryptowelt.calculators.tax.settings import TaxSettings
from kryptowelt.calculators.tax_import.errors import TaxImportError
from kryptowelt.calculators.tax_import.merge import uploads_read
from kryptowelt.calculators.tax_import.reader import parse_upload

D = Decimal
DATA = Path(__file__).parent / "data" / "exchanges"
TODAY = dt.date(2026, 11, 25)
# Made-up € closes, the same on every day (the tests that need a day say so).
PRICES = {
    "BTC": D(60000),
    "ETH": D(3000),
    "BNB": D(500),
    "USDT": D("0.92"),
    "USDC": D("0.92"),
    "ARB": D(1),
    "DOT": D(6),
    "SOL": D(150),
    "BEST": D("0.5"),
    "FLR": D("0.02"),
}


def lookup(coin, day):
    return PRICES.get(coin)


def read(name, **kwargs):
    return parse_upload((DATA / name).read_bytes(), file_name=name, price_lookup=lookup, **kwargs)


def by_row(parsed):
    rows = {}
    for tx in parsed.transactions:
        rows.setdefault(tx.row, []).append(tx)
    return rows


# --- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "format_name"),
    [
        ("bitpanda.csv", "bitpanda"),
        ("bison.csv", "bison"),
        ("bison-de.csv", "bison"),
        ("binance-trades.csv", "binance_trades"),
        ("binance-statement.csv", "binance_statement"),
        ("trade-republic.csv", "trade_republic"),
        ("cointracking-en.csv", "cointracking"),
        ("cointracking-de.csv", "cointracking"),
        ("cointracking-values.csv", "cointracking"),
        ("blockpit.csv", "blockpit"),
        ("kraken-ledgers-more.csv", "kraken_ledgers"),
    ],
)
def test_each_export_is_recognised_by_itself(name, format_name):
    assert read(name).format == format_name


# --- Bitpanda ----------------------------------------------------------------------------------


def test_bitpanda_with_account_lines_fees_in_best_and_things_we_do_not_compute():
    parsed = read("bitpanda.csv")
    rows = by_row(parsed)
    # Line 9: 0.05 BTC for 2,000 € paid, the 3 € fee inside: cost 1,997 + 3.
    [btc] = rows[9]
    assert (btc.kind, btc.coin, btc.amount, btc.value + btc.fee) == (
        "kauf",
        "BTC",
        D("0.05"),
        D(2000),
    )
    assert btc.price_source == "Zahlbetrag laut Export (Bitpanda)"
    # Line 11: 1 ETH for 3,000 €, the fee paid in 4 BEST (0.50 € each = 2 €): a disposal of
    # BEST and the purchase's fee in a third coin.
    fee, eth = rows[11]
    assert (fee.kind, fee.coin, fee.amount, fee.value) == ("gebuehr", "BEST", D(4), D(2))
    assert (eth.kind, eth.value, eth.fee_third) == ("kauf", D(3000), D(2))
    # Line 12: a withdrawal to an own wallet, line 14: 1 ETH sold, 2,000 € received after a
    # 5 € fee.
    assert [t.kind for t in rows[12]] == ["auszahlung"]
    [sale] = rows[14]
    assert (sale.kind, sale.value - sale.fee) == ("verkauf", D(2000))
    assert parsed.skipped["Aktien, ETFs, Edelmetalle u. a. (keine Kryptowerte)"] == 1
    assert parsed.skipped["Ein- oder Auszahlung in Euro oder anderer Währung"] == 2
    assert any("Edelmetallen" in note for note in parsed.notes)


def test_bitpanda_rewards_are_staking_income_at_the_exports_price():
    text = (
        "Transaction ID,Timestamp,Transaction Type,In/Out,Amount Fiat,Fiat,Amount Asset,Asset,"
        "Asset market price,Asset market price currency,Asset class,Product ID,Fee,Fee asset,"
        "Fee percent,Spread,Spread Currency,Tax Fiat\n"
        "r-1,2025-09-02T18:15:07+02:00,reward,incoming,2.12,EUR,0.00057409,ETH,3692.80,EUR,"
        "Cryptocurrency,5,-,-,-,-,-,-\n"
        "s-1,2025-06-25T20:51:44+02:00,transfer(stake),incoming,2436.76,EUR,19.77595407,SOL,"
        "123.22,EUR,Cryptocurrency,135,-,-,-,-,-,-\n"
    )
    parsed = parse_upload(text.encode(), file_name="bp.csv")
    [reward] = parsed.transactions
    assert (reward.kind, reward.coin, reward.price) == ("staking", "ETH", D("3692.80"))
    assert reward.when == dt.datetime(2025, 9, 2, 18, 15, 7)  # the offset is German time
    assert reward.market and reward.price_source == "Kurs laut Export (Bitpanda)"
    assert parsed.skipped["Übertrag in oder aus Staking (Bitpanda)"] == 1


def test_an_unknown_bitpanda_type_is_named_not_guessed():
    text = (
        "Transaction ID,Timestamp,Transaction Type,In/Out,Amount Fiat,Fiat,Amount Asset,Asset,"
        "Asset market price,Asset market price currency,Asset class,Product ID,Fee,Fee asset\n"
        "x-1,2025-01-02T10:00:00+01:00,swap,outgoing,100,EUR,0.1,ETH,1000,EUR,Cryptocurrency,5,-,-\n"
    )
    with pytest.raises(TaxImportError) as info:
        parse_upload(text.encode(), file_name="bp.csv")
    assert info.value.messages == [
        "„bp.csv“, Zeile 2: den Bitpanda-Typ „swap“ kennen wir nicht; bitte tragen Sie diese "
        "Zeile in unserem Format ein."
    ]


# --- BISON -------------------------------------------------------------------------------------


def test_bison_with_spaces_after_separators_and_mixed_case_symbols():
    parsed = read("bison.csv")
    rows = by_row(parsed)
    [btc] = rows[3]
    assert (btc.kind, btc.coin, btc.amount, btc.value) == ("kauf", "BTC", D("0.0125"), D(500))
    assert btc.when == dt.datetime(2024, 1, 10, 10, 0)  # 09:00 UTC = 10:00 in winter
    transfer, fee = rows[5]
    assert (transfer.kind, transfer.amount) == ("auszahlung", D("0.01"))
    assert (fee.kind, fee.amount, fee.value) == ("gebuehr", D("0.00005"), D(3))
    [sale] = rows[6]
    assert (sale.kind, sale.value) == ("verkauf", D(330))


def test_bison_with_german_headers_and_numbers():
    parsed = read("bison-de.csv")
    buy, sale = parsed.transactions
    assert (buy.kind, buy.amount, buy.value) == ("kauf", D("0.025"), D(1250))
    assert buy.when == dt.datetime(2024, 3, 15, 10, 0)
    assert (sale.kind, sale.amount, sale.value) == ("verkauf", D("0.01"), D(700))
    # Bought 0.025 BTC for 1,250 €, sold 0.01 for 700 € within a year: 700 − 500 = 200.
    report = tax_report(transactions=parsed.transactions, today=TODAY)
    assert report.year(2024).net_taxable == D(200)


# --- Binance -----------------------------------------------------------------------------------


def test_binance_trade_history_with_partial_fills_and_fees_in_bnb():
    parsed = read("binance-trades.csv")
    rows = by_row(parsed)
    # Two fills of one order (lines 3 and 4), each with a fee of 0.01 BNB = 5 €.
    for row, amount, value in ((3, D(6), D(840)), (4, D(4), D(560))):
        fee, sol = rows[row]
        assert (fee.kind, fee.coin, fee.amount, fee.value) == ("gebuehr", "BNB", D("0.01"), D(5))
        assert (sol.kind, sol.amount, sol.value, sol.fee_third) == ("kauf", amount, value, D(5))
    # Line 6: the amount was written "3,000.00000000EUR".
    [sale] = rows[6]
    assert (sale.kind, sale.value, sale.fee) == ("verkauf", D(3000), D(3))
    # Line 7: the fee was taken from the BTC bought.
    [buy] = rows[7]
    assert (buy.amount, buy.value) == (D("0.00999"), D(800))


def test_binance_trade_history_older_layout_and_german_headers():
    old = (
        "Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin\n"
        "2024-04-02 10:00:00,ETHBTC,BUY,0.05,1.0,0.05,0.001,ETH\n"
    )
    [swap] = parse_upload(old.encode(), price_lookup=lookup).transactions
    assert (swap.kind, swap.coin, swap.amount, swap.to_coin, swap.to_amount) == (
        "tausch",
        "BTC",
        D("0.05"),
        "ETH",
        D("0.999"),
    )
    german = (
        "Datum(UTC),Paar,Seite,Preis,Ausgeführt,Betrag,Gebühr\n"
        "2024-04-02 10:00:00,BTCEUR,KAUFEN,60000,0.01000000BTC,600.00000000EUR,0.60000000EUR\n"
    )
    [buy] = parse_upload(german.encode()).transactions
    assert (buy.kind, buy.coin, buy.value, buy.fee) == ("kauf", "BTC", D(600), D("0.6"))


def test_binance_statement_staking_transfers_and_moves_between_own_accounts():
    parsed = read("binance-statement.csv")
    kinds = [(t.row, t.kind, t.coin, t.amount) for t in parsed.transactions]
    assert kinds == [
        (2, "einzahlung", "BTC", D("0.05")),
        (5, "staking", "SOL", D("0.5")),
        (6, "staking", "SOL", D("0.5")),
        (7, "staking", "SOL", D("0.6")),
        (10, "staking", "SOL", D(1)),
    ]
    assert parsed.skipped["Übertrag zwischen eigenen Binance-Konten (z. B. Earn)"] == 4


def test_binance_statement_trades_grouped_by_second_with_a_bnb_fee_and_dust():
    parsed = read("binance-statement-trades.csv")
    rows = by_row(parsed)
    # Line 2: 1,800 € for 2,000 USDT – a purchase.
    [usdt] = rows[2]
    assert (usdt.kind, usdt.amount, usdt.value) == ("kauf", D(2000), D(1800))
    # Lines 6–11: two fills in one second, 1,500 USDT for 0.3 ETH, fees 0.003 BNB (1.50 €).
    fee, swap = rows[6]
    assert (fee.kind, fee.coin, fee.amount) == ("gebuehr", "BNB", D("0.003"))
    assert (swap.kind, swap.coin, swap.amount, swap.to_coin, swap.to_amount) == (
        "tausch",
        "USDT",
        D(1500),
        "ETH",
        D("0.3"),
    )
    assert swap.fee_third == D("1.5")
    # Line 15: 0.5 USDT and 10 ARB turned into 0.02 BNB, split by value (0.46 € : 10 €).
    dust = rows[15]
    assert {t.coin for t in dust} == {"USDT", "ARB"}
    assert sum(t.to_amount for t in dust) == D("0.02")
    assert [t.kind for t in rows[12] + rows[13] + rows[14]] == ["staking", "airdrop", "lending"]
    assert parsed.skipped["Futures und Margin (nicht berechnet)"] == 1


def test_binance_statement_with_two_coins_bought_in_one_second_asks_for_the_trade_history():
    text = (
        "User_ID,UTC_Time,Account,Operation,Coin,Change,Remark\n"
        "1,2024-04-02 10:00:00,Spot,Transaction Spend,EUR,-100,\n"
        "1,2024-04-02 10:00:00,Spot,Transaction Buy,ETH,0.03,\n"
        "1,2024-04-02 10:00:00,Spot,Transaction Spend,EUR,-100,\n"
        "1,2024-04-02 10:00:00,Spot,Transaction Buy,SOL,0.6,\n"
    )
    with pytest.raises(TaxImportError) as info:
        parse_upload(text.encode(), file_name="auszug.csv")
    [message] = info.value.messages
    assert message.startswith("„auszug.csv“, Zeile 2: 4 Buchungen derselben Sekunde")
    assert "Handelsverlauf (Trade History)" in message


def test_trade_history_and_statement_together_count_each_trade_once():
    statement = (DATA / "binance-statement-trades.csv").read_bytes()
    trades = (
        b"Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"
        b"2024-04-01 10:00:00,USDTEUR,BUY,0.9,2000USDT,1800EUR,0EUR\n"
    )
    merged = uploads_read(
        [("auszug.csv", statement), ("trades.csv", trades)],
        settings=TaxSettings(),
        price_lookup=lookup,
    )
    purchases = [t for t in merged.transactions if t.kind == "kauf" and t.coin == "USDT"]
    assert [t.file for t in purchases] == ["trades.csv"]
    assert any("Binance-Kontoauszug" in note for note in merged.notes)


# --- Trade Republic ----------------------------------------------------------------------------


def test_trade_republic_crypto_table():
    parsed = read("trade-republic.csv")
    first, second, eth, sale = parsed.transactions
    assert (first.coin, first.amount, first.value + first.fee) == (
        "BTC",
        D("0.009905"),
        D("750.83"),
    )
    assert first.when == dt.datetime(2025, 4, 13)
    assert eth.coin == "ETH"  # "Ethereum"
    assert (sale.kind, sale.amount, sale.value - sale.fee) == (
        "verkauf",
        D("0.016448"),
        D("1726.86"),
    )
    # Both BTC purchases sold within a year: 1,726.86 − (750.83 + 600.99) = 375.04.
    report = tax_report(transactions=parsed.transactions, today=TODAY)
    assert report.year(2025).net_taxable == D("375.04")


# --- CoinTracking ------------------------------------------------------------------------------


def test_cointracking_english_trade_list():
    parsed = read("cointracking-en.csv")
    rows = by_row(parsed)
    [buy] = rows[2]
    assert (buy.kind, buy.value, buy.fee, buy.source) == (
        "kauf",
        D(10000),
        D(5),
        "CoinTracking: Kraken",
    )
    transfer, fee = rows[3]
    assert (transfer.kind, fee.kind, fee.amount) == ("auszahlung", "gebuehr", D("0.0001"))
    [swap] = rows[6]
    # 0.1 BTC for 1.2 ETH, the fee of 0.01 ETH taken from what arrived.
    assert (swap.kind, swap.to_coin, swap.to_amount) == ("tausch", "ETH", D("1.19"))
    assert [t.kind for t in rows[7]] == ["verkauf"]  # Spend: paying with coins
    assert [t.kind for t in rows[8]] == ["abgang"]  # Gift: no consideration
    assert parsed.skipped["Margin und Derivate (nicht berechnet)"] == 1
    report = tax_report(transactions=parsed.transactions, today=TODAY)
    assert [r.row for r in report.removals] == [8]


def test_cointracking_german_header_reads_numbers_the_german_way():
    parsed = read("cointracking-de.csv")
    buy, deposit, staking = parsed.transactions
    assert buy.value == D(10000)  # "10.000" in a German file
    assert (deposit.kind, staking.amount) == ("einzahlung", D("2.25"))


def test_cointracking_values_in_euros_and_month_first_dates():
    swap, staking = read("cointracking-values.csv").transactions
    assert swap.when == dt.datetime(2024, 3, 15, 10, 0)
    assert swap.value == D(3010) and swap.price_source == "Kurs laut Export (CoinTracking: Kraken)"
    assert staking.value == D(20)


def test_cointracking_dates_that_do_not_say_day_or_month_first_are_refused():
    text = (
        '"Type","Buy","Cur.","Sell","Cur.","Fee","Cur.","Exchange","Group","Comment","Date"\n'
        '"Trade","1","ETH","2000","EUR","","","Kraken","","","03/04/2024 10:00:00"\n'
    )
    with pytest.raises(TaxImportError) as info:
        parse_upload(text.encode(), file_name="ct.csv")
    assert "ob der Tag oder der Monat vorne steht" in info.value.messages[0]
    assert info.value.messages[0].startswith("„ct.csv“: ")


# --- Blockpit ----------------------------------------------------------------------------------


def test_blockpit_labels():
    parsed = read("blockpit.csv")
    rows = by_row(parsed)
    [buy] = rows[2]
    assert (buy.kind, buy.value, buy.fee_third) == ("kauf", D(1000), D("2.5"))
    fee, transfer = rows[3]
    assert (fee.kind, fee.amount, transfer.kind) == ("gebuehr", D("0.01"), "auszahlung")
    gas, swap = rows[6]
    assert (gas.kind, swap.kind, swap.to_coin, swap.fee_third) == (
        "gebuehr",
        "tausch",
        "USDC",
        D(3),
    )
    assert [t.kind for t in rows[7]] == ["verkauf"]  # Payment
    assert [t.kind for t in rows[8]] == ["airdrop"]
    assert parsed.skipped["Derivate und Margin (nicht berechnet)"] == 1
    tax_report(transactions=parsed.transactions, today=TODAY)  # every coin is covered


def test_blockpit_gifts_received_need_the_givers_acquisition():
    text = (
        "Blockpit ID,Timestamp,Source Type,Source Name,Integration,Transaction Type,"
        "Outgoing Asset,Outgoing Amount,Incoming Asset,Incoming Amount,Fee Asset,Fee Amount,"
        "Transaction ID,Note,Merge ID\n"
        "1,2024-01-15 09:00:00,wallet,Ledger,Bitcoin,Gift,,,BTC,0.1,,,t1,,\n"
        "2,2024-01-16 09:00:00,wallet,Ledger,Bitcoin,Hard Fork,,,BCH,1,,,t2,,\n"
    )
    with pytest.raises(TaxImportError) as info:
        parse_upload(text.encode(), file_name="bp.csv", price_lookup=lookup)
    assert "§ 23 Abs. 1 Satz 3 EStG" in info.value.messages[0]
    assert info.value.messages[1].startswith("„bp.csv“, Zeile 3: eine Hard Fork")


# --- Kraken ledgers: the cases the first version skipped ---------------------------------------


def test_kraken_ledgers_failed_rows_fee_credits_airdrops_delistings_and_fee_legs():
    parsed = read("kraken-ledgers-more.csv")
    rows = by_row(parsed)
    [buy] = rows[3]  # the KFEE leg of the same trade is left out
    assert (buy.kind, buy.coin, buy.value) == ("kauf", "ETH", D(1000))
    # Lines 5–7: 0.1 ETH for 50 DOT and a third leg with a 0.50 € fee.
    [swap] = rows[6]
    assert (swap.kind, swap.to_coin, swap.fee_third) == ("tausch", "DOT", D("0.5"))
    assert [t.kind for t in rows[9]] == ["airdrop"]
    assert [t.kind for t in rows[10]] == ["abgang"]  # removed by Kraken
    assert [t.kind for t in rows[11]] == ["einnahme"]  # invite bonus
    assert [t.kind for t in rows[13]] == ["staking"]  # earn / reward
    assert parsed.skipped["Kraken-Zeile ohne txid (fehlgeschlagen oder offen)"] == 1
    assert parsed.skipped["Kraken-Gebührengutschrift (KFEE)"] == 1
    assert (
        parsed.skipped["Übertrag zwischen eigenen Kraken-Konten (z. B. Staking)"] == 1
    )  # migration
