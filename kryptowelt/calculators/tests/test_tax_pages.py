"""The tax calculator as a reader uses it (issue 20): several exports at once, the settings,
the results per year with losses carried across years, the "Steuerfrei ab" calendar, the
documentation pack, and bad uploads. The exports are the hand-made files in
tests/data/exchanges; the daily closes are made up and stored with the markets importer."""

import csv
import datetime as dt
import html as html_lib
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone

from kryptowelt.markets.services.imports import price_history_import

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "exchanges"
NOW = dt.datetime(2026, 11, 25, 11, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def site(home):
    """/rechner/ below the test site's home page (conftest, built once per session)."""
    return home


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """The reader computes on 25 November 2026."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def prices():
    """Made-up € closes for the coins the exports give no euro value for."""
    for coin_id, symbol, rows in (
        (
            "solana",
            "sol",
            [
                ("2024-06-01", "150"),
                ("2024-12-01", "220"),
                ("2025-03-01", "200"),
                ("2025-06-01", "180"),
            ],
        ),
        ("binancecoin", "bnb", [("2024-05-06", "500")]),
        ("bitpanda-ecosystem-token", "best", [("2024-02-01", "0.50")]),
    ):
        text = "date,open,high,low,close,volume\n" + "".join(f"{d},,,,{c},\n" for d, c in rows)
        price_history_import(
            source=io.StringIO(text), coin_id=coin_id, currency="eur", name=symbol, symbol=symbol
        )


def _files(*names):
    uploads = []
    for name in names:
        upload = io.BytesIO((DATA / name).read_bytes())
        upload.name = name
        uploads.append(upload)
    return uploads


READER_FILES = ("bitpanda.csv", "binance-trades.csv", "binance-statement.csv")


def _csv(response) -> list[list[str]]:
    return list(
        csv.reader(io.StringIO(response.content.decode().removeprefix("\ufeff")), delimiter=";")
    )


# The reader of issue 20: Bitpanda and Binance exports and a Binance staking history.
#
# 2024 (§ 23): 1 ETH bought on Bitpanda for 3,000 € plus a fee of 4 BEST (4 × 0.50 € = 2 €),
#   cost 3,002 €, sold for 2,000 € received → loss −1,002 €. The fees paid in BEST and BNB
#   are disposals at cost (BEST 4 × 0.50, BNB 0.01 × 500 twice) → gain 0. Net −1,002 €:
#   no 2023 to carry it back to → carried forward, 1,002 € at 31.12.2024.
# 2024 (§ 22 Nr. 3): SOL staking 0.5 × 150 + 0.5 × 220 = 185 € < 256 € → tax-free.
# 2025 (§ 23): 0.05 BTC bought on Bitpanda 03.01.2024 for 2,000 €, moved to Binance
#   (withdrawal and deposit: the holding period runs on), sold 10.02.2025 for 4,500 € − 4.50 €
#   fee → 2,495.50 € gain, held more than a year → tax-free. 10 SOL (two fills: 840 + 5 €
#   BNB fee, 560 + 5 €) sold 20.03.2025 for 3,000 € − 3 € → gain 2,997 − 1,410 = 1,587 €
#   ≥ 1,000 € Freigrenze → taxable in full; the 1,002 € loss of 2024 is deducted → 585 €.
# 2025 (§ 22 Nr. 3): 0.6 × 200 + 1 × 180 = 300 € ≥ 256 € → taxable in full.
YEAR_2024 = (
    "2024;0,00;-1002,00;-1002,00;1000,00;-1002,00;0,00;185,00;0,00;0,00;0,00;0,00;0,00;1002,00"
)
YEAR_2025 = (
    "2025;1587,00;0,00;1587,00;1000,00;1587,00;2495,50;300,00;300,00;0,00;0,00;1002,00;585,00;0,00"
)


def test_a_readers_year_from_bitpanda_binance_and_staking(client, prices):
    response = client.post("/rechner/steuer/", {"datei": _files(*READER_FILES), "ausgabe": "csv"})
    assert response.status_code == 200
    text = response.content.decode()
    assert YEAR_2024 in text and YEAR_2025 in text
    # The BTC sold on Binance matched with the Bitpanda purchase, tax-free after 404 days.
    assert (
        ";5;10.02.2025;Verkauf;BTC;0,05;;9;03.01.2024;Kauf;404;ja;4495,50;2000,00;2495,50;binance-trades.csv;bitpanda.csv"
        in text
    )


def test_the_result_page_explains_each_year(client, prices):
    response = client.post("/rechner/steuer/", {"datei": _files(*READER_FILES)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitpanda (Transaktionsverlauf)" in html and "Binance (Kontoauszug)" in html
    assert "Verlust von 1.002,00\u00a0€" in html
    assert "Verbleibender Verlustvortrag zum 31.12.2024: 1.002,00\u00a0€" in html
    assert "Verluste früherer Jahre von 1.002,00\u00a0€ werden verrechnet" in html
    assert "Steuerpflichtig nach Verlustverrechnung: 585,00\u00a0€" in html
    assert "Einkünfte von 300,00\u00a0€ nach § 22 Nr. 3 EStG erreichen die Freigrenze" in html
    # "Steuerfrei ab": the BTC bought on 15.09.2026 becomes tax-free on 16.09.2027.
    assert "16.09.2027" in html and "bereits steuerfrei" in html
    assert "Tagesschlusskurs Kryptowelt (CoinGecko) vom 01.06.2024" in html


def test_the_steuerfrei_ab_calendar(client, prices):
    response = client.post("/rechner/steuer/", {"datei": _files(*READER_FILES), "ausgabe": "ics"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="kryptowelt-steuerfrei-ab.ics"' in response["Content-Disposition"]
    assert set(response["Cache-Control"].split(", ")) == {"no-store", "private"}
    ics = response.content.decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and ics.endswith(
        "END:VCALENDAR\r\n"
    )
    # Only lots that are not tax-free yet on 25.11.2026: the BTC of 15.09.2026.
    assert ics.count("BEGIN:VEVENT") == 1
    assert "DTSTART;VALUE=DATE:20270916\r\n" in ics and "DTEND;VALUE=DATE:20270917\r\n" in ics
    assert "SUMMARY:0\\,00999 BTC steuerfrei verkaufbar\r\n" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


def test_the_documentation_pack(client, prices):
    response = client.post("/rechner/steuer/", {"datei": _files(*READER_FILES), "ausgabe": "zip"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert (
        'filename="kryptowelt-steuer-dokumentation-2024-2025.zip"'
        in response["Content-Disposition"]
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names == [
        "00-methode.txt",
        "01-einstellungen.csv",
        "02-jahresuebersicht.csv",
        "03-transaktionen.csv",
        "04-zuordnung-veraeusserungen.csv",
        "05-bewertungen.csv",
        "06-bestand-jahresende.csv",
        "07-steuerfrei-ab.csv",
        "08-steuerfrei-ab.ics",
        "09-einkuenfte-22-nr-3.csv",
        "10-uebertraege-und-abgaenge.csv",
        "11-dateien.csv",
    ]
    read = lambda name: archive.read(name).decode().removeprefix("\ufeff")  # noqa: E731
    method = read("00-methode.txt")
    assert (
        "Verbrauchsfolge: FIFO" in method
        and "bitpanda.csv (Bitpanda (Transaktionsverlauf))" in method
    )
    assert "BFH, Urteil vom 11.01.2005, IX R 27/04" in method
    assert YEAR_2024 in read("02-jahresuebersicht.csv")
    transactions = read("03-transaktionen.csv")
    assert (
        "bitpanda.csv;11;Bitpanda;01.02.2024 16:20:00;Kauf;ETH;1;3000;3000,00;0,00;2,00;;"
        in transactions
    )
    valuations = read("05-bewertungen.csv")
    assert (
        "binance-statement.csv;5;01.06.2024 03:00:00;Staking;SOL;0,5;150;75,00;Marktbewertung;"
        "Tagesschlusskurs Kryptowelt (CoinGecko) vom 01.06.2024;01.06.2024 00:00:00" in valuations
    )
    assert (
        "bitpanda.csv;9;03.01.2024 10:15:00;Kauf;BTC;0,05;39940;1997,00;tatsächlicher Betrag;Zahlbetrag laut Export (Bitpanda);03.01.2024 10:15:00"
        in valuations
    )
    matching = read("04-zuordnung-veraeusserungen.csv")
    assert (
        "2024;bitpanda.csv;14;10.09.2024;Verkauf;ETH;1;;bitpanda.csv;11;01.02.2024;Kauf;222;nein;2000,00;3002,00;-1002,00"
        in matching
    )
    year_end = read("06-bestand-jahresende.csv")
    assert "2024;31.12.2024;SOL;11;1595,00;06.05.2024;07.05.2025" in year_end
    assert "bitpanda.csv;12;15.03.2024 18:00:00;Auszahlung (Übertrag);BTC;0,05" in read(
        "10-uebertraege-und-abgaenge.csv"
    )
    files = read("11-dateien.csv")
    assert "binance-statement.csv;Binance (Kontoauszug);9;5;4;" in files


def test_downloads_from_the_result_page_hand_the_data_back(client, prices):
    html = client.post(
        "/rechner/steuer/", {"datei": _files(*READER_FILES), "methode": "fifo", "ruecktrag": "ja"}
    ).content.decode()

    def hidden(name):
        marker = f'name="{name}" value="'
        start = html.index(marker) + len(marker)
        return html_lib.unescape(html[start : html.index('"', start)])

    start = html.index('<textarea name="daten" hidden aria-hidden="true">') + 50
    daten = html_lib.unescape(html[start : html.index("</textarea>", start)])
    response = client.post(
        "/rechner/steuer/",
        {
            "daten": daten,
            "dateien": hidden("dateien"),
            "quelle": hidden("quelle"),
            "ausgabe": "zip",
        },
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    years = archive.read("02-jahresuebersicht.csv").decode()
    assert YEAR_2024 in years and YEAR_2025 in years
    assert "binance-statement.csv;Binance (Kontoauszug)" in archive.read("11-dateien.csv").decode()


def test_the_print_view_of_the_readers_years(client, prices):
    response = client.post("/rechner/steuer/", {"datei": _files(*READER_FILES), "ausgabe": "druck"})
    html = html_lib.unescape(response.content.decode())
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"no-store", "private"}
    # The 2025 loss offset as on the result page, each staking row with its price source.
    assert "Steuerpflichtig nach Verlustverrechnung: 585,00\u00a0€" in html
    assert (
        "<td>binance-statement.csv: 5</td><td>01.06.2024</td><td>Staking SOL</td>"
        '<td class="num">0,5</td><td class="num">75,00\u00a0€</td>'
        "<td>Tagesschlusskurs Kryptowelt (CoinGecko) vom 01.06.2024</td>" in html
    )
    assert "<h2>Steuerfrei ab</h2>" in html and "16.09.2027" in html
    assert "Verbrauchsfolge: FIFO" in html


def test_lifo_shows_its_warning_and_changes_the_matching(client, prices):
    response = client.post(
        "/rechner/steuer/", {"datei": _files(*READER_FILES), "methode": "lifo", "ausgabe": "html"}
    )
    html = response.content.decode()
    assert "FG Nürnberg vom 22. Januar 2025 (3 K 760/22)" in html
    assert "gegen die Auffassung des BMF" in html
    # LIFO sells the newest SOL first (staking lots, then the second fill, then 4.4 of the
    # first): cost 120 + 110 + 75 + 565 + 845 × 4.4/6 = 1,489.67 → gain 1,507.33.
    assert "1.507,33\u00a0€" in html


def test_a_bad_file_among_several_is_named_and_nothing_is_computed(client, prices):
    bad = io.BytesIO(b"Name;Betrag\nMiete;800\n")
    bad.name = "kontoauszug-bank.csv"
    response = client.post("/rechner/steuer/", {"datei": [*_files("bitpanda.csv"), bad]})
    assert response.status_code == 400
    assert (
        "„kontoauszug-bank.csv“: Die Spalten der Datei passen zu keinem bekannten Format"
        in html_lib.unescape(response.content.decode())
    )


def test_the_same_file_twice_is_refused(client, prices):
    response = client.post("/rechner/steuer/", {"datei": _files("bitpanda.csv", "bitpanda.csv")})
    assert response.status_code == 400
    assert "denselben Inhalt" in html_lib.unescape(response.content.decode())


def test_settings_with_bad_values_get_german_messages(client):
    response = client.post(
        "/rechner/steuer/",
        {"datei": _files("bison.csv"), "methode": "hifo", "verlustvortrag": "viel"},
    )
    html = html_lib.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Bitte wählen Sie FIFO oder LIFO als Verbrauchsfolge." in html
    assert "Verlustvortrag: „viel“ ist keine Zahl." in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Die Datei ist leer."),
        (b"\x00\x01\x02\x03binary\x00", "keine Textdatei"),
        ("Datum;Typ;Coin\n".encode("utf-16-be"), "keine Textdatei"),
        (
            b"Datum;Typ;Coin;Menge;Preis_EUR\n01.01.2024;Kauf;BTC;1;1\x81\x8d\x8f\x90\x9d\n",
            "Zeichenkodierung",
        ),
        (b"PK\x03\x04excel", "Excel-Datei"),
        (
            b"Datum;Typ;Coin;Menge;Preis_EUR;Notiz\n01.01.2024;Kauf;BTC;1;100;"
            + b"x" * (5 * 1024 * 1024)
            + b"\n",
            "Zeile 2: ein Feld ist länger als 131.072 Zeichen",
        ),
        (
            b"Datum;Typ;Coin;Menge;Preis_EUR\n=cmd|' /C calc'!A0;Kauf;BTC;1;1\n",
            "ist kein gültiges Datum",
        ),
    ],
)
def test_no_upload_makes_a_500(client, data, message):
    upload = io.BytesIO(data)
    upload.name = "boese.csv"
    response = client.post("/rechner/steuer/", {"datei": upload})
    assert response.status_code == 400
    assert message in html_lib.unescape(response.content.decode())


def test_two_hundred_thousand_and_one_rows_are_refused_by_line_count(client):
    head = b"Datum;Typ;Coin;Menge;Preis_EUR\n"
    upload = io.BytesIO(head + b"01.01.2024;Kauf;BTC;1;1\n" * 200_001)
    upload.name = "riesig.csv"
    response = client.post("/rechner/steuer/", {"datei": upload})
    assert response.status_code == 400
    assert "mehr als 200.000 Zeilen" in response.content.decode()
