"""Reading uploads: our own format, Kraken and Coinbase exports, and every kind of bad file.

The sample exports under tests/data were written for these tests after the column sets the
exchanges document; they are not copies of anyone's real statement."""

import datetime as dt
import gc
from decimal import Decimal
from pathlib import Path

import pytest

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.report import tax_report
from kryptowelt.calculators.tax.rules import money
from kryptowelt.calculators.tax_import import registry
from kryptowelt.calculators.tax_import.decoding import MAX_UPLOAD_BYTES
from kryptowelt.calculators.tax_import.errors import TaxImportError
from kryptowelt.calculators.tax_import.formats.own import transactions_to_csv
from kryptowelt.calculators.tax_import.kraken_codes import kraken_asset, kraken_pair
from kryptowelt.calculators.tax_import.parsing import parse_number, utc_to_local
from kryptowelt.calculators.tax_import.reader import parse_upload
from kryptowelt.calculators.tax_import.registry import FileFormat, has_columns

D = Decimal
DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parent.parent / "samples" / "kryptowelt-beispiel.csv"
TODAY = dt.date(2026, 11, 25)

PRICES = {
    ("BTC", dt.date(2024, 4, 2)): D(60000),
    ("ETH", dt.date(2024, 4, 2)): D(3100),
    ("SOL", dt.date(2024, 7, 10)): D(138),
    ("DOT", dt.date(2023, 7, 8)): D("4.60"),
    ("DOT", dt.date(2024, 2, 4)): D("6.50"),
    ("BTC", dt.date(2024, 5, 20)): D(65000),
}


def lookup(coin, day):
    return PRICES.get((coin, day))


# --- numbers and dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        ("1.234,56", "auto", "1234.56"),
        ("1234,56", "auto", "1234.56"),
        ("0,5", "auto", "0.5"),
        ("1,234.56", "auto", "1234.56"),
        ("1234.56", "auto", "1234.56"),
        ("1.234.567", "auto", "1234567"),
        ("1.234", "de", "1234"),
        ("1.234", "en", "1.234"),
        ("1,234", "en", "1234"),
        ("1,234", "de", "1.234"),
        ("€3343.11", "en", "3343.11"),
        ("-€597.49846", "en", "-597.49846"),
        ("1 234,50 €", "de", "1234.50"),
        ("0.00003920", "en", "0.0000392"),
        ("1e-8", "en", "0.00000001"),
    ],
)
def test_numbers_in_german_and_english_notation(text, style, expected):
    assert parse_number(text, style=style) == D(expected)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1,23,4", "12-3", "1.234,5,6"])
def test_garbage_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_exchange_times_are_converted_from_utc_to_german_time():
    # 23:30 UTC on 31 December is already New Year in Germany (and the next tax year).
    assert utc_to_local("2023-12-31 23:30:00.1234") == dt.datetime(2024, 1, 1, 0, 30, 0, 123400)
    assert utc_to_local("2024-07-01T10:00:00Z") == dt.datetime(2024, 7, 1, 12, 0)
    assert utc_to_local("2025-01-17 16:57:02 UTC") == dt.datetime(2025, 1, 17, 17, 57, 2)


def test_kraken_asset_names():
    assert kraken_asset("XXBT") == "BTC" and kraken_asset("ZEUR") == "EUR"
    assert kraken_asset("DOT.S") == "DOT" and kraken_asset("ETH2.S") == "ETH"
    assert kraken_asset("XXDG") == "DOGE" and kraken_asset("SOL") == "SOL"
    assert kraken_pair("XXBTZEUR") == ("BTC", "EUR")
    assert kraken_pair("XETHXXBT") == ("ETH", "BTC")
    assert kraken_pair("SOLUSD") == ("SOL", "USD")
    assert kraken_pair("XBT/EUR") == ("BTC", "EUR")


# --- our own format --------------------------------------------------------------------------


def test_our_sample_file_gives_the_documented_result():
    parsed = parse_upload(SAMPLE.read_bytes())
    assert parsed.format == "kryptowelt" and len(parsed.transactions) == 10
    first = parsed.transactions[0]
    assert (first.row, first.when, first.kind, first.coin) == (
        2,
        dt.datetime(2023, 3, 15, 10, 12),
        "kauf",
        "BTC",
    )
    assert (first.amount, first.price, first.fee) == (D("0.2"), D("22500.00"), D("4.50"))
    report = tax_report(transactions=parsed.transactions, today=TODAY)
    y2023, y2024 = report.year(2023), report.year(2024)
    assert y2023.income == D("18.36") and y2023.income_taxable == 0
    sale_15, sale_16, swap, fee, sol = y2024.disposals
    assert sale_15.taxable_gain == D("1920.825") and sale_15.tax_free_gain == 0
    assert sale_16.tax_free_gain == D("1985.755") and sale_16.taxable_gain == 0
    assert swap.gain == D("697.125")
    assert fee.kind == "gebuehr" and fee.gain == D("2.1965")
    assert sol.gain.quantize(D("0.01")) == D("-103.04")
    assert y2024.net_taxable.quantize(D("0.01")) == D("2517.11")
    assert y2024.taxable_amount == y2024.net_taxable
    assert y2024.income == D("334.5") and y2024.income_taxable == D("334.5")


def test_windows_1252_and_utf8_with_bom_are_both_read():
    text = SAMPLE.read_text(encoding="utf-8")
    for data in (text.encode("cp1252"), b"\xef\xbb\xbf" + text.encode("utf-8")):
        parsed = parse_upload(data)
        assert [t.kind for t in parsed.transactions].count("gebuehr") == 1


def test_comma_separated_file_with_english_numbers_and_iso_dates():
    data = (
        b"date,type,coin,amount,price_eur,fee_eur\n"
        b"2024-01-05,buy,ETH,1.5,2100.50,2\n"
        b'2024-02-05T18:00:00+01:00,sell,ETH,0.5,"2,500.00",1\n'
    )
    parsed = parse_upload(data)
    buy, sell = parsed.transactions
    assert buy.amount == D("1.5") and buy.price == D("2100.50")
    assert sell.when == dt.datetime(2024, 2, 5, 18, 0) and sell.price == D(2500)


def test_german_file_reads_1_234_as_one_thousand_two_hundred_and_thirty_four():
    data = b"Datum;Typ;Coin;Menge;Preis_EUR\n01.02.2024;Kauf;BTC;0,5;1.234\n"
    [buy] = parse_upload(data).transactions
    assert buy.price == D(1234) and buy.amount == D("0.5")


def test_semicolon_file_is_german_comma_file_is_english():
    [german] = parse_upload(
        b"Datum;Typ;Coin;Menge;Preis_EUR\n01.02.2024;Kauf;BTC;1;20.000\n"
    ).transactions
    assert german.price == D(20000)
    [english] = parse_upload(
        b"Datum,Typ,Coin,Menge,Preis_EUR\n01.02.2024,Kauf,ETH,1.234,2000\n"
    ).transactions
    assert english.amount == D("1.234")


def test_round_trip_through_our_own_format():
    original = parse_upload(SAMPLE.read_bytes()).transactions
    again = parse_upload(transactions_to_csv(original).encode()).transactions
    strip = [
        (t.when, t.kind, t.coin, t.amount, t.price, t.fee, t.to_coin, t.to_amount) for t in original
    ]
    assert strip == [
        (t.when, t.kind, t.coin, t.amount, t.price, t.fee, t.to_coin, t.to_amount) for t in again
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "leer"),
        (b"Name;Betrag;Verwendungszweck\nMiete;-800;Juni\n", "passen zu keinem bekannten Format"),
        (b"Datum;Typ;Coin;Menge\n01.01.2024;Kauf;BTC;1\n", "fehlen die Spalten Preis_EUR"),
        (
            b"Datum;Typ;Coin;Menge;Preis_EUR\n01.01.2024;Kauf;BTC;1;100\n32.01.2024;Kauf;BTC;1;1\n",
            "Zeile 3: „32.01.2024“ ist kein gültiges Datum",
        ),
        (
            b"Datum;Typ;Coin;Menge;Preis_EUR\n01.01.2024;Geschenk;BTC;1;100\n",
            "Zeile 2: unbekannter Typ „Geschenk“",
        ),
        (
            b"Datum;Typ;Coin;Menge;Preis_EUR\n01.01.2024;Kauf;BTC;eins;100\n",
            "Zeile 2: Menge: „eins“ ist keine Zahl",
        ),
        (b"Datum;Typ;Coin;Menge;Preis_EUR\n01.01.2024;Kauf;BTC;1;\n", "Zeile 2: die Spalte Preis"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel-Datei"),
        (b"\x00\x01\x02binary", "keine Textdatei"),
    ],
)
def test_bad_files_get_a_german_message_naming_the_row(data, message):
    with pytest.raises(TaxImportError) as info:
        parse_upload(data)
    assert any(message in m for m in info.value.messages), info.value.messages


def test_a_field_longer_than_the_csv_module_reads_is_a_message_for_its_line():
    huge = b"y" * 200_000
    kraken = (
        b"txid,ordertxid,pair,time,type,ordertype,price,cost,fee,vol,margin,misc,ledgers\n"
        b"\n"
        b"A,B,XXBTZEUR,2024-01-01 10:00:00,buy,market,30000,3000,5,0.1,0," + huge + b",L\n"
        b"C,D,XXBTZEUR,2024-01-02 10:00:00,kaufen,market,30000,3000,5,0.1,0,,L\n"
    )
    with pytest.raises(TaxImportError) as info:
        parse_upload(kraken)
    assert info.value.messages == [
        "Zeile 3: ein Feld ist länger als 131.072 Zeichen; die Zeile kann nicht gelesen werden.",
        "Zeile 4: unbekannte Handelsrichtung „kaufen“.",
    ]
    # A line before the table that cannot be read is no header; the table below it counts.
    parsed = parse_upload(huge + b"\nDatum;Typ;Coin;Menge;Preis_EUR\n01.01.2024;Kauf;BTC;1;100\n")
    [buy] = parsed.transactions
    assert (buy.row, buy.coin) == (3, "BTC")


def test_too_large_upload_is_refused():
    with pytest.raises(TaxImportError, match="größer als 10 MB"):
        parse_upload(b"x" * (MAX_UPLOAD_BYTES + 1))


def test_bad_rows_are_all_listed_up_to_a_limit():
    lines = ["Datum;Typ;Coin;Menge;Preis_EUR"] + ["01.01.2024;Kauf;BTC;x;1"] * 80
    with pytest.raises(TaxImportError) as info:
        parse_upload("\n".join(lines).encode())
    assert len(info.value.messages) == 51
    assert info.value.messages[0].startswith("Zeile 2:")
    assert "Weitere Fehler" in info.value.messages[-1]


def test_hundred_thousand_rows_are_read_and_calculated():
    lines = ["Datum;Typ;Coin;Menge;Preis_EUR;Gebuehr_EUR"]
    start = dt.date(2020, 1, 1)
    for i in range(50_000):
        when = (start + dt.timedelta(days=i % 1500)).strftime("%d.%m.%Y")
        lines.append(f"{when} 08:{i % 60:02d};Kauf;BTC;0,001;{20000 + i % 977},5;0,1")
        lines.append(f"{when} 20:{i % 60:02d};Verkauf;BTC;0,001;{20100 + i % 991},25;0,1")
    parsed = parse_upload("\n".join(lines).encode("utf-8"))
    assert len(parsed.transactions) == 100_000
    report = tax_report(transactions=parsed.transactions, today=TODAY)
    assert sum(len(y.disposals) for y in report.years) == 50_000


# --- Kraken ----------------------------------------------------------------------------------


def test_kraken_trades_export():
    parsed = parse_upload((DATA / "kraken-trades.csv").read_bytes(), price_lookup=lookup)
    assert parsed.format == "kraken_trades"
    btc, eth, sale, swap, sol = parsed.transactions
    assert (btc.kind, btc.coin, btc.amount, btc.fee) == ("kauf", "BTC", D("0.2"), D("11.69"))
    assert btc.value == D("4496.02")
    assert btc.when == dt.datetime(2023, 3, 15, 10, 12, 41, 321800)  # UTC+1 in March
    assert (sale.kind, sale.amount, sale.value, sale.fee) == (
        "verkauf",
        D("0.05"),
        D("3050"),
        D("4.88"),
    )
    # ETH sold for BTC: a swap valued with our € price of ETH on that day.
    assert (swap.kind, swap.coin, swap.amount, swap.to_coin) == ("tausch", "ETH", D("0.5"), "BTC")
    assert swap.to_amount == D("0.02446080") and swap.price == D(3100)
    # Kraken charged its fee in BTC; valued at the swap's own rate (0.5 ETH × 3,100 € for
    # 0.0245 BTC gross), so one price source values the whole row: 2,48 €.
    assert swap.fee == D("0.0000392") * (D(3100) * D("0.5") / D("0.0245")) == D("2.48")
    assert (
        swap.market
        and swap.price_source == "Tagesschlusskurs Kryptowelt (CoinGecko) vom 02.04.2024"
    )
    assert btc.price_source == "Zahlbetrag laut Export (Kraken)" and not btc.market
    # SOL bought for US dollars: euros via our € price of SOL (138 € for 150 $).
    assert (sol.kind, sol.coin, sol.amount) == ("kauf", "SOL", D(2))
    assert sol.value == D(276) and sol.fee == D("0.78") * D(138) / D(150)
    assert parsed.valued_rows == 2
    report = tax_report(transactions=parsed.transactions, today=TODAY)
    assert report.year(2024).disposals[0].taxable_gain > 0


def test_the_garbage_collector_stays_on_while_a_file_is_read():
    seen = []

    def recording_lookup(coin, day):
        seen.append(gc.isenabled())
        return lookup(coin, day)

    parsed = parse_upload((DATA / "kraken-trades.csv").read_bytes(), price_lookup=recording_lookup)
    assert len(parsed.transactions) == 5
    assert seen and all(seen)


def test_kraken_trades_without_our_prices_name_the_rows_that_need_them():
    with pytest.raises(TaxImportError) as info:
        parse_upload((DATA / "kraken-trades.csv").read_bytes())
    assert [m.split(":")[0] for m in info.value.messages] == ["Zeile 5", "Zeile 6"]
    assert "kennen wir keinen Euro-Kurs" in info.value.messages[1]


def test_kraken_ledgers_export():
    parsed = parse_upload((DATA / "kraken-ledgers.csv").read_bytes(), price_lookup=lookup)
    assert parsed.format == "kraken_ledgers"
    kinds = [(t.row, t.kind, t.coin, t.amount) for t in parsed.transactions]
    assert (7, "staking", "DOT", D("0.1845")) in kinds
    assert (8, "staking", "DOT", D("0.201")) in kinds
    assert (12, "gebuehr", "BTC", D("0.00005")) in kinds
    buy = next(t for t in parsed.transactions if t.row == 3)
    assert (buy.kind, buy.amount, buy.value, buy.fee) == (
        "kauf",
        D("0.2"),
        D("4496.02"),
        D("11.69"),
    )
    sale = next(t for t in parsed.transactions if t.row == 10)
    assert (sale.kind, sale.amount, sale.value, sale.fee) == (
        "verkauf",
        D("0.05"),
        D("3050"),
        D("4.88"),
    )
    instant = next(t for t in parsed.transactions if t.row == 13)
    assert (instant.kind, instant.coin, money(instant.value), instant.fee) == (
        "kauf",
        "SOL",
        D(100),
        D("1.5"),
    )
    assert parsed.skipped["Einzahlung in Euro oder anderer Währung"] == 1
    # 2 transfers to and from staking, 1 earn allocation
    assert parsed.skipped["Übertrag zwischen eigenen Kraken-Konten (z. B. Staking)"] == 3
    # The withdrawal of 0.1 BTC stays in the history as a transfer; its fee is a disposal.
    assert (12, "auszahlung", "BTC", D("0.1")) in kinds
    report = tax_report(transactions=parsed.transactions, today=TODAY)
    assert report.year(2023).income == D("0.1845") * D("4.60")


# --- Coinbase --------------------------------------------------------------------------------


def test_coinbase_transaction_history_with_header_lines():
    parsed = parse_upload((DATA / "coinbase-2024.csv").read_bytes())
    assert parsed.format == "coinbase"
    rows = {t.row: t for t in parsed.transactions}
    assert sorted(rows) == [5, 6, 7, 10, 11, 12]
    assert (rows[5].kind, rows[5].amount, rows[5].value, rows[5].fee) == (
        "kauf",
        D("0.0221"),
        D("499.46"),
        D("7.99"),
    )
    assert rows[7].kind == "staking" and rows[7].price == D("1510.42")
    assert (rows[10].kind, rows[10].amount, rows[10].value, rows[10].fee) == (
        "verkauf",
        D("0.01"),
        D(620),
        D("9.30"),
    )
    convert = rows[11]
    assert (convert.kind, convert.coin, convert.to_coin, convert.to_amount) == (
        "tausch",
        "ETH",
        "SOL",
        D("4.1"),
    )
    assert convert.value == D(630) and convert.fee == D("12.60")
    assert parsed.skipped == {
        "Versand an eine andere Adresse": 1,
        "Empfang von einer anderen Adresse": 1,
    }
    report = tax_report(transactions=parsed.transactions, today=TODAY)
    sale = report.year(2024).disposals[0]
    assert sale.matches[0].tax_free  # bought 15 March 2023, sold 16 March 2024


def test_older_coinbase_report_with_spot_price_columns():
    parsed = parse_upload((DATA / "coinbase-2021.csv").read_bytes())
    buy, earn, sell = parsed.transactions
    assert (buy.kind, buy.value, buy.fee) == ("kauf", D("305.00"), D("4.99"))
    assert (earn.kind, earn.coin, earn.value) == ("einnahme", "XLM", D("5.000"))
    assert (sell.kind, sell.value, sell.fee) == ("verkauf", D("208.00"), D("3.10"))


def test_wrong_columns_in_an_exchange_like_file():
    data = b"Timestamp,Transaction Type,Asset\n2024-01-01T00:00:00Z,Buy,BTC\n"
    with pytest.raises(TaxImportError, match="keinem bekannten Format"):
        parse_upload(data)


# --- the registry of formats -----------------------------------------------------------------


def test_every_format_module_registers_and_our_generic_format_is_asked_last():
    names = [f.name for f in registry.registered()]
    assert names == [
        "kraken_trades",
        "kraken_ledgers",
        "binance_statement",
        "binance_trades",
        "bison",
        "bitpanda",
        "blockpit",
        "coinbase",
        "cointracking",
        "trade_republic",
        "kryptowelt",
    ]


def test_a_new_format_is_recognised_once_it_registers(monkeypatch):
    """What a new exchange module does: register a name, a label, a detection from the
    header and a parser. Its header here would also pass for our own format, which is asked
    after every exchange format."""

    def parse(table, result, price_lookup):
        for row, cells in table.rows:
            coin = cells[table.columns["coin"]]
            when = dt.datetime.fromisoformat(cells[table.columns["datum"]])
            result.transactions.append(Transaction(row, when, "kauf", coin, D(1), D(2)))

    test_format = FileFormat(
        name="testboerse",
        label="Testbörse (Export)",
        detect=has_columns("datum", "typ", "coin", "menge", "preis_eur", "testboerse_id"),
        parse=parse,
    )
    monkeypatch.setitem(registry._FORMATS, "testboerse", test_format)
    data = b"Datum;Typ;Coin;Menge;Preis_EUR;Testboerse_ID\n2024-01-05;Kauf;ETH;9;9;17\n"
    parsed = parse_upload(data)
    assert (parsed.format, parsed.format_label) == ("testboerse", "Testbörse (Export)")
    [tx] = parsed.transactions
    assert (tx.row, tx.coin, tx.amount) == (2, "ETH", D(1))
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(test_format)
