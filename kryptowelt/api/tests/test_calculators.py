"""The calculators as API endpoints, through the HTTP client: hand-checked figures on
hand-made data (a synthetic coin whose close is 100 € in January 2024, 200 € in February and
50 € in March; made-up providers), the pages' rules as German 422 problems, and answers no
cache keeps."""

import datetime as dt
import io

import pytest
from django.core.cache import cache

from kryptowelt.api.http import _cache_key
from kryptowelt.comparisons.factories import figure, provider_make
from kryptowelt.markets.services.imports import price_history_import

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
CLOSES = {1: 100, 2: 200, 3: 50}  # month of 2024 → close in € on every day of it


@pytest.fixture
def steps_coin():
    day, rows = dt.date(2024, 1, 1), []
    while day <= dt.date(2024, 3, 31):
        rows.append(f"{day},,,,{CLOSES[day.month]},\n")
        day += dt.timedelta(days=1)
    price_history_import(
        source=io.StringIO("date,open,high,low,close,volume\n" + "".join(rows)),
        coin_id="stufencoin",
        currency="eur",
        name="Stufencoin",
        symbol="stu",
    )


def sparplan(client, **params):
    query = {"coin": "stufencoin", "betrag": "100", "start": "2024-01-15", "ende": "2024-03-31"}
    return client.get("/api/v1/calculators/sparplan/", {**query, **params})


def test_sparplan_backtest_by_hand(client, steps_coin):
    response = sparplan(client, gebuehr="1")
    assert response.status_code == 200, response.content
    data = response.json()
    # 100 € on the 15th of each month, 1 % fee: 99 € buy 0.99, 0.495 and 1.98 coins.
    assert [p["executed"] for p in data["purchases"]] == ["2024-01-15", "2024-02-15", "2024-03-15"]
    assert [p["coins"] for p in data["purchases"]] == [0.99, 0.495, 1.98]
    assert [p["fee_eur"] for p in data["purchases"]] == [1.0, 1.0, 1.0]
    assert data["coin"] == {"id": "stufencoin", "name": "Stufencoin"}
    assert (data["invested_eur"], data["fees_eur"], data["coins"]) == (300.0, 3.0, 3.465)
    assert data["end_close_eur"] == 50.0
    assert data["value_eur"] == 173.25  # 3.465 × 50 €
    assert data["profit_eur"] == -126.75
    assert data["profit_percent"] == -42.25
    assert data["average_price_eur"] == 85.71428571  # 297 € ÷ 3.465 coins
    assert data["annualised_percent"] is None  # under a year
    # Highest value 297 € (1.485 coins × 200 €) in February, lowest after: 74.25 € on 1 March.
    drawdown = data["max_drawdown"]
    assert (drawdown["peak_value_eur"], drawdown["trough_value_eur"]) == (297.0, 74.25)
    assert drawdown["percent"] == -75.0
    assert drawdown["trough_day"] == "2024-03-01"
    assert data["worst_profit_eur"] == -126.75
    # The same 300 € once on 15 January: 3 € fee, 2.97 coins, worth 148.50 €.
    lump = data["lump_sum"]
    assert (lump["day"], lump["fee_eur"], lump["coins"]) == ("2024-01-15", 3.0, 2.97)
    assert (lump["value_eur"], lump["profit_eur"], lump["profit_percent"]) == (148.5, -151.5, -50.5)
    assert [(y["year"], y["invested_eur"], y["value_end_eur"]) for y in data["years"]] == [
        (2024, 300.0, 173.25)
    ]
    assert data["notes"] == [] and data["provider"] is None
    assert data["history"]["source"]


def test_sparplan_decimals_are_never_read_as_thousands(client, steps_coin):
    # On the page "1.125" is 1125 (German grouping); the API's 1.125 is 1.125 %.
    data = sparplan(client, gebuehr="1.125", ende="2024-01-31").json()
    purchase = data["purchases"][0]
    assert data["fees"]["percent"] == 1.125
    assert (purchase["fee_eur"], purchase["coins"]) == (1.13, 0.98875)  # 1.125 € rounded up


def test_sparplan_with_a_providers_verified_fees(client, steps_coin):
    provider_make(
        name="Sparbörse",
        slug="sparboerse",
        figures=[
            figure("sparplan", True),
            figure("sparplan_fee", "0.5", eur="1"),
            figure("sparplan_intervals", "woechentlich"),
        ],
        kind_sparplan=True,
    )
    data = sparplan(client, anbieter="sparboerse", gebuehr="9").json()
    # The provider's 0.5 % + 1 € replace the reader's 9 %: 1.50 € per purchase.
    assert [p["fee_eur"] for p in data["purchases"]] == [1.5, 1.5, 1.5]
    provider = data["provider"]
    assert provider["slug"] == "sparboerse"
    assert {figure["label"] for figure in provider["used"]} and all(
        figure["source"].startswith("http") and figure["checked"] for figure in provider["used"]
    )
    assert "monatlich" in provider["interval_note"]


def test_sparplan_moves_the_end_to_the_last_price_with_a_note(client, steps_coin):
    data = sparplan(client, ende="2024-06-30").json()
    assert data["end"] == "2024-03-31"
    assert any("31.03.2024" in note for note in data["notes"])


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2099-01-01"}, "start", "Das Startdatum liegt in der Zukunft."),
        ({"ende": "2024-01-01"}, "ende", "Das Enddatum liegt vor dem Startdatum."),
        ({"coin": "gibtsnicht"}, "coin", "Unbekannte Kryptowährung „gibtsnicht“"),
        ({"anbieter": "unbekannt"}, "anbieter", "Unbekannter Anbieter „unbekannt“."),
    ],
)
def test_sparplan_rules_of_the_page_as_german_problems(client, steps_coin, params, field, message):
    response = sparplan(client, **params)
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert message in problem["detail"]
    assert ["query", field] in [error["loc"] for error in problem["errors"]]


def test_sparplan_outside_the_stored_prices(client, steps_coin):
    response = sparplan(client, start="2023-01-01", ende="2023-06-30")
    assert response.status_code == 422
    assert "Kurse nur vom 01.01.2024 bis 31.03.2024" in response.json()["detail"]


def test_sparplan_parameters_are_typed(client, steps_coin):
    response = sparplan(client, betrag="100,5", intervall="jaehrlich")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "„betrag“ ist keine Zahl" in detail
    assert "„intervall“ erlaubt sind" in detail
    assert "„betrag“ darf höchstens 1000000" in sparplan(client, betrag="2e6").json()["detail"]


def profit(client, **params):
    return client.get("/api/v1/calculators/profit/", params)


def test_profit_by_hand(client):
    data = profit(
        client,
        kaufkurs="20000",
        verkaufskurs="25000",
        menge="0.5",
        gebuehr_kauf_prozent="1.5",
        gebuehr_verkauf_prozent="1.5",
        gebuehr_verkauf_euro="1",
        kaufdatum="2024-01-10",
        verkaufsdatum="2024-12-01",
    ).json()
    # Bought for 10,000 € + 150 € fee; sold for 12,500 € − 187.50 € − 1 €.
    assert (data["buy_value_eur"], data["buy_fee_eur"], data["cost_eur"]) == (10000, 150, 10150)
    assert (data["sell_value_eur"], data["sell_fee_eur"]) == (12500, 188.5)
    assert (data["proceeds_eur"], data["profit_eur"], data["fees_eur"]) == (12311.5, 2161.5, 338.5)
    assert data["profit_percent"] == 21.3  # 2161.50 ÷ 10150
    assert data["price_change_percent"] == 25.0
    # Break-even: (10150 + 1) ÷ (0.5 × 0.985) = 20611.1675… €.
    assert data["break_even_price_eur"] == 20611.16751269
    assert data["holding"] == {"tax_free": False, "days": 326, "free_from": "2025-01-11"}


def test_profit_without_dates_has_no_holding_period(client):
    data = profit(client, kaufkurs="10", verkaufskurs="5", menge="3").json()
    assert (data["profit_eur"], data["profit_percent"], data["holding"]) == (-15, -50, None)


def test_profit_rules_of_the_page(client):
    response = profit(
        client,
        kaufkurs="10",
        verkaufskurs="12",
        menge="1",
        kaufdatum="2024-05-01",
        verkaufsdatum="2024-04-01",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Der Verkauf liegt vor dem Kauf."
    missing = profit(client, kaufkurs="10", verkaufskurs="12")
    assert missing.status_code == 422
    assert "„menge“ fehlt" in missing.json()["detail"]
    zero = profit(client, kaufkurs="0", verkaufskurs="12", menge="1")
    assert "„kaufkurs“ muss größer als 0 sein" in zero.json()["detail"]


@pytest.fixture
def providers():
    provider_make(
        name="Testbörse Eins",
        slug="testboerse-eins",
        figures=[
            figure("taker_pct", "0.25"),
            figure("fixed_eur", "0"),
            figure("deposit_sepa", "0", eur="0"),
            figure("mica", True, text="BaFin (Deutschland)"),
            figure("sparplan", True),
            figure("sparplan_fee", "1", eur="0"),
        ],
    )
    provider_make(
        name="Testbroker Zwei",
        slug="testbroker-zwei",
        kind_exchange=False,
        kind_broker=True,
        pricing="broker",
        figures=[figure("commission_pct", "1"), figure("spread_pct", None, unpublished=True)],
    )
    provider_make(
        name="Ohne Zulassung",
        slug="ohne-zulassung",
        figures=[figure("taker_pct", "0.1"), figure("fixed_eur", "0"), figure("mica", False)],
    )


def costs(client, **params):
    return client.get("/api/v1/calculators/costs/", params)


def test_costs_by_hand(client, providers):
    data = costs(client, betrag="1000").json()
    assert data["order"] == {
        "amount_eur": 1000,
        "coin": "BTC",
        "interval": "einmalig",
        "months": 1,
        "executions": 1,
        "deposit_method": "sepa",
        "invested_eur": 1000,
    }
    # 0.25 % taker fee on 1000 €, no fixed fee, SEPA free: 2.50 €.
    [exchange] = data["ranked"]
    assert exchange["slug"] == "testboerse-eins"
    assert (exchange["cost"]["total_eur"], exchange["cost"]["percent"]) == (2.5, 0.25)
    assert {figure["key"] for figure in exchange["figures"]} >= {"taker_pct", "deposit_sepa"}
    assert all(figure["source"] and figure["checked"] for figure in exchange["figures"])
    # 1 % commission is known, the spread is not published: at least 10 €, never ranked.
    [broker] = data["bounded"]
    assert broker["slug"] == "testbroker-zwei"
    assert broker["cost"]["total_eur"] is None and broker["cost"]["minimum_eur"] == 10.0
    spread = next(part for part in broker["cost"]["missing"] if part["key"] == "spread_pct")
    assert spread["reason"] == "vom Anbieter nicht veröffentlicht"
    # Cheapest, but without MiCA authorisation: listed apart, not ranked.
    [excluded] = data["excluded"]
    assert excluded["slug"] == "ohne-zulassung" and "MiCA" in excluded["status_reason"]


def test_costs_of_a_sparplan_use_its_own_fee(client, providers):
    data = costs(client, betrag="50", intervall="monatlich", dauer="12").json()
    assert (data["order"]["invested_eur"], data["order"]["executions"]) == (600, 12)
    exchange = data["ranked"][0]
    # 1 % Sparplan fee on 12 × 50 €.
    assert exchange["basis"] == "sparplan"
    assert (exchange["cost"]["total_eur"], exchange["cost"]["percent"]) == (6.0, 1.0)


def test_costs_rules_of_the_page(client, providers):
    response = costs(client, betrag="50", intervall="monatlich")
    assert response.status_code == 422
    assert response.json()["detail"] == "Bitte die Dauer des Sparplans in Monaten angeben."
    cents = costs(client, betrag="10.005")
    assert cents.json()["detail"] == "Bitte höchstens zwei Nachkommastellen angeben."
    assert costs(client, betrag="1000", coin="dogecoin").status_code == 422


def test_calculator_answers_are_kept_by_no_cache(client, rf, settings, steps_coin):
    """The reader's own figures, as on the calculator pages: neither the proxy nor the API's
    shared cache keeps them (a list is kept, for comparison)."""
    settings.KRYPTOWELT_API_CACHE_SECONDS = 300
    cache.clear()
    response = sparplan(client)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["ETag"]
    query = "coin=stufencoin&betrag=100&start=2024-01-15&ende=2024-03-31"
    assert cache.get(_cache_key(rf.get("/api/v1/calculators/sparplan/?" + query))) is None
    assert client.get("/api/v1/coins/").status_code == 200
    assert cache.get(_cache_key(rf.get("/api/v1/coins/"))) is not None


@pytest.mark.parametrize("name", ["start", "ende"])
def test_sparplan_dates_are_dates_not_numbers(client, steps_coin, name):
    # "0" was 1 January 1970 (a Unix time), not the JJJJ-MM-TT the OpenAPI document names.
    response = sparplan(client, **{name: "0"})
    assert response.status_code == 422
    assert "JJJJ-MM-TT" in response.json()["detail"]
