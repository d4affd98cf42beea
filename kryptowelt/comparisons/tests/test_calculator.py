"""The cost calculator at /vergleich/kostenrechner/ and the method page's weights."""

import re
from decimal import Decimal

import pytest

from kryptowelt.comparisons.factories import figure, provider_make

pytestmark = pytest.mark.django_db

URL = "/vergleich/kostenrechner/"


@pytest.fixture
def three_providers(db):
    provider_make(
        name="Orderbuch",
        slug="orderbuch",
        figures=[
            figure("taker_pct", "0.4"),
            figure("fixed_eur", 0),
            figure("deposit_sepa", 0, eur=0),
        ],
    )
    provider_make(
        name="Neobroker",
        slug="neobroker",
        kind_exchange=False,
        kind_broker=True,
        kind_sparplan=True,
        pricing="broker",
        figures=[
            figure("commission_pct", 0),
            figure("spread_pct", "0.5"),
            figure("fixed_eur", 1),
            figure("deposit_sepa", 0, eur=0),
            figure("sparplan", True),
            figure("sparplan_fee", 0, eur=0),
            figure("sparplan_min_eur", 25),
        ],
    )
    provider_make(
        name="Unbelegt",
        slug="unbelegt",
        kind_exchange=False,
        kind_broker=True,
        pricing="broker",
        figures=[figure("commission_pct", 0), figure("fixed_eur", 0)],
    )


def ranked_names(html):
    section = html.split('<ol class="cmp-ranking">')[1].split("</ol>")[0]
    return re.findall(r'class="cmp-name" href="/vergleich/anbieter/([a-z-]+)/"', section)


def bounded_section(html):
    return html.split("Nicht gereiht: Kosten nur teilweise bekannt")[1].split("</ul>")[0]


def test_one_off_order_is_ranked_with_each_cost_explained(client, three_providers, home):
    response = client.get(URL, {"betrag": "1000", "coin": "bitcoin", "intervall": "einmalig"})
    assert response.status_code == 200
    html = response.content.decode()
    assert ranked_names(html) == ["orderbuch", "neobroker"]
    results = response.context["results"]
    totals = [item.result.total for item in results.ranked]
    assert totals == [Decimal("4.00"), Decimal("6.00")]  # 0,4 % vs 0,5 % + 1 €
    assert "Handelsgebühr" in html and "Spread/Aufschlag" in html
    assert "Feste Gebühren" in html and "Einzahlung" in html
    # Unknown fees are listed with the known parts as a lower bound, never counted as zero
    # and never in the ranking: 0 % commission + 0 € per order = at least 0,00 €.
    bounded = bounded_section(html)
    assert "Unbelegt" in bounded
    assert "mindestens <strong>0,00\u00a0€</strong> + Spread" in bounded
    assert "(nicht geprüft)" in bounded
    assert "Einzahlung per SEPA-Überweisung" in bounded
    assert "Stand der verwendeten Angaben" in html
    assert "Keine Anlageberatung" in html
    # § 5b UWG: the ranking's parameters in one sentence, with the method linked.
    assert "Rangfolge nach den Gesamtkosten Ihrer Order in Euro" in html
    assert 'href="/vergleich/methodik/#kostenmodell">So vergleichen wir</a>' in html


def test_monthly_plan_uses_sparplan_terms_and_minimum_rate(client, three_providers, home):
    response = client.get(
        URL, {"betrag": "100", "coin": "ethereum", "intervall": "monatlich", "dauer": "12"}
    )
    assert response.status_code == 200
    ranked = {item.row.slug: item for item in response.context["results"].ranked}
    # Neobroker: Sparplan without order fee, 0,5 % spread × 12.
    assert ranked["neobroker"].result.total == Decimal("6.00")
    assert ranked["neobroker"].result.basis == "sparplan"
    # Orderbuch: no Sparplan terms -> 12 single orders, said so on the page.
    assert ranked["orderbuch"].result.total == Decimal("4.80")
    html = response.content.decode()
    assert "Sparplan-Konditionen nicht geprüft: berechnet als monatliche Einzelorder" in html
    assert "1.200,00" in html

    small = client.get(
        URL, {"betrag": "10", "coin": "bitcoin", "intervall": "monatlich", "dauer": "6"}
    )
    impossible = small.context["results"].impossible
    assert [item.row.slug for item in impossible] == ["neobroker"]
    assert "Mindestrate des Sparplans: 25,00" in small.content.decode()


def test_coin_specific_fees_and_unpublished_spreads(client, db, home):
    provider_make(
        name="Coinbroker",
        slug="coinbroker",
        kind_exchange=False,
        kind_broker=True,
        pricing="broker",
        figures=[
            figure("commission_pct", 0),
            figure("spread_pct", "1.49"),  # default for every coin without its own figure
            figure("spread_pct", "0.99", coin="BTC"),
            figure("fixed_eur", 0),
            figure("deposit_sepa", 0, eur=0),
        ],
    )
    provider_make(
        name="Verdeckt",
        slug="verdeckt",
        kind_exchange=False,
        kind_broker=True,
        pricing="broker",
        figures=[
            figure("commission_pct", "2.5"),
            figure("commission_pct", "1.5", coin="BTC"),
            figure("commission_min_eur", 1),
            figure("spread_pct", None, unpublished=True),
            figure("fixed_eur", 0),
            figure("deposit_sepa", 0, eur=0),
        ],
    )
    btc = client.get(URL, {"betrag": "1000", "coin": "bitcoin", "intervall": "einmalig"})
    eth = client.get(URL, {"betrag": "1000", "coin": "ethereum", "intervall": "einmalig"})
    # Coinbroker: 0,99 % of 1.000 € for Bitcoin, the default 1,49 % for Ether.
    assert [(i.row.slug, i.result.total) for i in btc.context["results"].ranked] == [
        ("coinbroker", Decimal("9.90"))
    ]
    assert [(i.row.slug, i.result.total) for i in eth.context["results"].ranked] == [
        ("coinbroker", Decimal("14.90"))
    ]
    # Verdeckt: spread not published -> never ranked; 1,5 % (BTC) / 2,5 % (ETH) of 1.000 €.
    assert [(i.row.slug, i.result.minimum) for i in btc.context["results"].bounded] == [
        ("verdeckt", Decimal("15.00"))
    ]
    assert eth.context["results"].bounded[0].result.minimum == Decimal("25.00")
    html = bounded_section(btc.content.decode())
    assert "mindestens <strong>15,00\u00a0€</strong> + Spread" in html
    assert "(vom Anbieter nicht veröffentlicht)" in html
    # 50 € a month: 1,5 % of 50 € = 0,75 € < 1 € minimum -> 12 × 1 € = at least 12,00 €.
    plan = client.get(
        URL, {"betrag": "50", "coin": "bitcoin", "intervall": "monatlich", "dauer": "12"}
    )
    assert plan.context["results"].bounded[0].result.minimum == Decimal("12.00")
    assert "Mindestprovision 1,00\u00a0€" in plan.content.decode()


def test_german_amount_formats_are_understood(client, three_providers, home):
    for raw in ("1.000,50", "1000,50", "1000.50", "1.000,50 €"):
        response = client.get(URL, {"betrag": raw, "coin": "bitcoin", "intervall": "einmalig"})
        assert response.status_code == 200, raw
        assert response.context["order"].amount == Decimal("1000.50"), raw
    thousand = client.get(URL, {"betrag": "1.000", "coin": "bitcoin", "intervall": "einmalig"})
    assert thousand.context["order"].amount == Decimal("1000")


def test_calculator_without_parameters_shows_an_example(client, three_providers, home):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["order"].amount == Decimal("1000")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"betrag": "0"}, "Der Betrag muss größer als 0 € sein."),
        ({"betrag": "-50"}, "Der Betrag muss größer als 0 € sein."),
        ({"betrag": "1e12"}, "Bitte einen Betrag in Euro angeben, z. B. 1000 oder 1.000,50."),
        ({"betrag": "1000000000000"}, "Der Betrag darf höchstens 10.000.000 € betragen."),
        ({"betrag": "9" * 39}, "Der Betrag darf höchstens 10.000.000 € betragen."),
        ({"betrag": "zehn Euro"}, "Bitte einen Betrag in Euro angeben"),
        ({"betrag": "10,555"}, "Bitte höchstens zwei Nachkommastellen angeben."),
        ({"betrag": ""}, "Bitte einen Betrag in Euro angeben."),
        ({"coin": "dogecoin"}, "Diesen Kryptowert kennt der Kostenrechner nicht."),
        ({"intervall": "jährlich"}, "Bitte eine der angebotenen Möglichkeiten wählen."),
        ({"intervall": "monatlich", "dauer": ""}, "Bitte die Dauer des Sparplans in Monaten"),
        ({"intervall": "monatlich", "dauer": "0"}, "Bitte eine Zahl ab 1 angeben."),
        ({"intervall": "monatlich", "dauer": "500"}, "Bitte höchstens 120 angeben."),
        ({"intervall": "monatlich", "dauer": "zwölf"}, "Bitte eine ganze Zahl angeben."),
        ({"zahlungsweg": "bargeld"}, "Bitte eine der angebotenen Möglichkeiten wählen."),
    ],
)
def test_bad_calculator_input_gets_a_german_message(client, three_providers, params, message, home):
    query = {"betrag": "1000", "coin": "bitcoin", "intervall": "einmalig", **params}
    response = client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Bitte prüfen Sie Ihre Eingabe" in html
    assert response.context["results"] is None


def test_real_providers_are_ranked_or_bounded_from_the_research(client, demo_providers, home):
    response = client.get(URL, {"betrag": "1000", "coin": "bitcoin", "intervall": "einmalig"})
    results = response.context["results"]
    # Fully known (providers.toml after the fee research of 2026-12), 1.000 € Bitcoin, SEPA:
    # Bitvavo taker 0,25 % = 2,50 €; Bitstamp 0,40 % = 4,00 €; Coinbase Advanced EU 0,50 %
    # = 5,00 €; Kraken Pro 0,80 % (since 9 July 2026) = 8,00 €; Bitpanda BTC premium 0,99 %
    # = 9,90 €. Deposits by SEPA free, no fixed fees.
    assert [(item.row.slug, item.result.total) for item in results.ranked] == [
        ("bitvavo", Decimal("2.50")),
        ("bitstamp", Decimal("4.00")),
        ("coinbase", Decimal("5.00")),
        ("kraken", Decimal("8.00")),
        ("bitpanda", Decimal("9.90")),
    ]
    assert all(item.used and item.oldest_used for item in results.ranked)
    # Lower bounds from the known parts: BISON 0 % + 0 € = 0,00 €; eToro 1 % = 10,00 €;
    # N26 1,5 % for Bitcoin = 15,00 €; Scalable 0,99 % + 0,99 € = 10,89 €;
    # Trade Republic 0 % + 1 € = 1,00 €.
    assert {item.row.slug: item.result.minimum for item in results.bounded} == {
        "bison": Decimal("0.00"),
        "etoro": Decimal("10.00"),
        "n26": Decimal("15.00"),
        "scalable-capital": Decimal("10.89"),
        "trade-republic": Decimal("1.00"),
    }
    by_slug = {item.row.slug: item for item in results.bounded}
    assert by_slug["trade-republic"].result.unpublished == ("spread_pct",)
    assert by_slug["n26"].result.unpublished == ("spread_pct",)
    # Binance does not serve Germany: listed with the reason, never ranked.
    assert [item.row.slug for item in results.excluded] == ["binance"]
    assert [item.row.slug for item in results.unknown] == ["crypto-com"]
    # A euro figure for 10 of the 11 trading providers that serve Germany.
    assert (results.with_euro_figure, results.serving_germany) == (10, 11)
    html = response.content.decode()
    assert "Euro-Betrag für 10 von 11 Anbietern" in html
    assert "Binance bedient seit dem 1. Juli 2026" in html
    assert "ledger" not in {item.row.slug for item in results.ranked + results.bounded}


def test_real_coin_specific_fees_are_used_for_ether(client, demo_providers, home):
    response = client.get(URL, {"betrag": "1000", "coin": "ethereum", "intervall": "einmalig"})
    results = response.context["results"]
    totals = {item.row.slug: item.result.total for item in results.ranked}
    assert totals["bitpanda"] == Decimal("14.90")  # ETH premium 1,49 % (BTC: 0,99 %)
    bounds = {item.row.slug: item.result.minimum for item in results.bounded}
    assert bounds["n26"] == Decimal("25.00")  # 2,5 % for other coins (BTC: 1,5 %)


# --- method page ---------------------------------------------------------------------------

METHOD = "/vergleich/methodik/"


def table_rows(html):
    """(slug, {criterion: points}, score) for every ranking row, as published."""
    weights = {
        key: Decimal(value)
        for key, value in re.findall(r'data-weight-key="(\w+)" data-weight="(\d+)"', html)
    }
    rows = []
    for match in re.finditer(r'<tr data-provider="([a-z0-9-]+)">(.*?)</tr>', html, re.S):
        # Ranked rows only (unranked rows carry data-unranked and no score).
        points = {
            key: Decimal(value)
            for key, value in re.findall(
                r'data-criterion="(\w+)" data-points="([\d.]+)"', match.group(2)
            )
        }
        score = Decimal(re.search(r'data-score="([\d.]+)"', match.group(2)).group(1))
        rows.append((match.group(1), points, score))
    return weights, rows


def recompute(weights, points):
    from decimal import ROUND_HALF_UP

    weight_sum = sum(weights[key] for key in points)
    total = sum(weights[key] * value for key, value in points.items()) / weight_sum
    return total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_method_page_weights_reproduce_every_score_shown(client, demo_providers, home):
    response = client.get(METHOD)
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Kosten", "Regulierung", "Sicherheit", "Angebot", "Service"):
        assert f'<th scope="row">{label}</th>' in html
    weights, rows = table_rows(html)
    assert weights == {
        "kosten": 35,
        "regulierung": 25,
        "sicherheit": 20,
        "angebot": 10,
        "service": 10,
    }
    # Ranked: 5 trading providers and 4 wallets; the others have too few checked figures
    # or do not serve Germany and are listed apart, without a rank.
    assert len(rows) == 9
    for slug, points, score in rows:
        assert score == recompute(weights, points), slug
    unranked = re.findall(r'<tr data-provider="([a-z0-9-]+)" data-unranked="1">', html)
    assert set(unranked) == {
        "binance",
        "bison",
        "crypto-com",
        "etoro",
        "n26",
        "scalable-capital",
        "trade-republic",
    }
    assert (
        "Rangfolge nach dem Kryptowelt-Score aus Kosten einer Order über 500 € (35\u00a0%)" in html
    )
    # The same score appears on the provider's own page and in the kind table.
    slug, _points, score = rows[0]
    shown = f"{str(score).replace('.', ',')}</span>"
    assert shown in client.get(f"/vergleich/anbieter/{slug}/").content.decode()


def test_readers_weights_change_the_ranking(client, demo_providers, home):
    default = table_rows(client.get(METHOD).content.decode())[1]
    only_service = {
        "gewicht_kosten": 0,
        "gewicht_regulierung": 0,
        "gewicht_sicherheit": 0,
        "gewicht_angebot": 0,
        "gewicht_service": 100,
    }
    response = client.get(METHOD, only_service)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rangliste mit Ihren Gewichten" in html
    weights, rows = table_rows(html)
    assert weights["service"] == 100 and weights["kosten"] == 0
    for slug, points, score in rows:
        assert score == recompute(weights, points), slug
    assert [slug for slug, *_ in rows] != [slug for slug, *_ in default]
    assert {slug: score for slug, _p, score in rows} != {slug: s for slug, _p, s in default}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"gewicht_kosten": "viel"}, "Bitte eine ganze Zahl angeben."),
        ({"gewicht_kosten": "101"}, "Bitte höchstens 100 angeben."),
        ({"gewicht_kosten": "-1"}, "Bitte eine Zahl ab 0 angeben."),
        (
            {
                f"gewicht_{key}": "0"
                for key in ("kosten", "regulierung", "sicherheit", "angebot", "service")
            },
            "Mindestens ein Gewicht muss größer als 0 sein.",
        ),
    ],
)
def test_bad_weights_get_a_german_message(client, three_providers, params, message, home):
    response = client.get(METHOD, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_example_is_listed_by_search_engines_a_readers_calculation_is_not(
    client, three_providers, home
):
    noindex = '<meta name="robots" content="noindex'
    assert noindex not in client.get(URL).content.decode()  # Lighthouse SEO: is-crawlable
    own = client.get(URL, {"betrag": "250", "coin": "bitcoin", "intervall": "einmalig"})
    assert own.status_code == 200
    assert noindex in own.content.decode()
