"""The comparison pages as readers use them: tables, filters, provider pages, side by side."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from kryptowelt.comparisons.factories import figure, provider_make
from kryptowelt.comparisons.models import Provider

pytestmark = pytest.mark.django_db

KIND_URLS = [
    "/vergleich/krypto-boersen/",
    "/vergleich/broker/",
    "/vergleich/wallets/",
    "/vergleich/sparplaene/",
    "/vergleich/staking/",
]


def text_of(response) -> str:
    return response.content.decode()


def exchange(name, *, taker, mica=True, coins=None, extra_figures=(), **extra):
    figures = [
        figure("taker_pct", taker),
        figure("fixed_eur", 0),
        figure("deposit_sepa", 0, eur=0),
        figure("mica", mica, text="BaFin (Deutschland)" if mica else ""),
        *extra_figures,
    ]
    if coins is not None:
        figures.append(figure("coins", coins))
    return provider_make(name=name, slug=name.lower(), figures=figures, **extra)


def test_overview_and_every_kind_page_show_the_real_providers(client, demo_providers, home):
    assert demo_providers >= 15
    overview = client.get("/vergleich/")
    assert overview.status_code == 200
    html = text_of(overview)
    for provider in Provider.objects.live():
        assert f'href="/vergleich/anbieter/{provider.slug}/"' in html
    for slug in ("bitpanda", "trade-republic", "ledger", "n26"):
        assert f"/vergleich/anbieter/{slug}/" in html
    assert "Keine Anlageberatung" in html
    assert "Stand der Angaben: zuletzt geprüft am" in html
    for url in KIND_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        page = text_of(response)
        assert "Keine Anlageberatung" in page
        assert "Stand der Angaben" in page
        assert page.count('class="cmp-name"') >= 2, url
    nav = text_of(client.get("/vergleich/broker/"))
    assert 'href="/vergleich/" aria-current="true">Vergleiche</a>' in nav  # a page below it


def test_every_real_provider_page_shows_sourced_dated_figures(client, demo_providers, home):
    for provider in Provider.objects.live():
        response = client.get(f"/vergleich/anbieter/{provider.slug}/")
        assert response.status_code == 200, provider.slug
        html = text_of(response)
        assert provider.name in html
        assert html.count(">Quelle</a>") >= 1, provider.slug
        assert "Stand <time" in html
        assert "Keine Anlageberatung" in html
    kraken = text_of(client.get("/vergleich/anbieter/kraken/"))
    assert "Central Bank of Ireland" in kraken
    assert "https://www.esma.europa.eu/sites/default/files/2024-12/CASPS.csv" in kraken
    assert "nicht geprüft" in kraken  # e.g. Zwei-Faktor-Authentisierung


def test_unknown_provider_and_kind_are_404(client, db, home):
    assert client.get("/vergleich/anbieter/gibt-es-nicht/").status_code == 404
    assert client.get("/vergleich/aktien/").status_code == 404


def test_draft_provider_is_not_shown(client, db, home):
    provider_make(name="Entwurfsbörse", slug="entwurf", publish=False)
    assert client.get("/vergleich/anbieter/entwurf/").status_code == 404
    assert "Entwurfsbörse" not in text_of(client.get("/vergleich/krypto-boersen/"))


def test_filters_keep_only_providers_with_verified_matching_figures(client, db, home):
    exchange("Alpha", taker="0.1", mica=True, coins=250)
    exchange("Beta", taker="0.5", mica=False, coins=50)
    provider_make(
        name="Gamma",
        slug="gamma",
        figures=[figure("mica", True, source="")],  # unsourced: does not pass the filter
    )
    html = text_of(client.get("/vergleich/krypto-boersen/", {"eu": "1"}))
    assert "Alpha" in html and "Beta" not in html and "Gamma" not in html
    html = text_of(client.get("/vergleich/krypto-boersen/", {"min_coins": "100"}))
    assert "Alpha" in html and "Beta" not in html
    html = text_of(client.get("/vergleich/krypto-boersen/", {"sepa": "on"}))
    assert "Alpha" in html and "Beta" in html and "Gamma" not in html
    empty = client.get("/vergleich/krypto-boersen/", {"eu": "1", "min_coins": "1000"})
    assert empty.status_code == 200
    assert "Kein Anbieter erfüllt alle gewählten Filter" in text_of(empty)


def test_sorting_by_costs_name_and_coins(client, db, home):
    exchange("Teuer", taker="0.9", coins=10)
    exchange("Billig", taker="0.1", coins=20)
    exchange("Mittel", taker="0.5", coins=300)

    def order(params):
        html = text_of(client.get("/vergleich/krypto-boersen/", params))
        return re.findall(r'class="cmp-name" href="/vergleich/anbieter/([a-z]+)/"', html)

    assert order({"sortierung": "kosten"}) == ["billig", "mittel", "teuer"]
    assert order({"sortierung": "name"}) == ["billig", "mittel", "teuer"]
    assert order({"sortierung": "kryptowerte"}) == ["mittel", "billig", "teuer"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_coins": "abc"}, "Bitte eine ganze Zahl angeben."),
        ({"min_coins": "-3"}, "Bitte eine Zahl ab 0 angeben."),
        ({"min_coins": "1e12"}, "Bitte eine ganze Zahl angeben."),
        ({"min_coins": "10000000"}, "Bitte höchstens 100.000 angeben."),
        ({"sortierung": "beliebt"}, "Bitte eine der angebotenen Möglichkeiten wählen."),
    ],
)
def test_bad_filter_input_gets_a_german_message(client, db, params, message, home):
    exchange("Alpha", taker="0.1")
    response = client.get("/vergleich/krypto-boersen/", params)
    assert response.status_code == 400
    html = text_of(response)
    assert message in html
    assert "Alpha" in html  # the table is still there


def test_figures_show_source_date_and_stale_recheck_and_unchecked_markers(client, db, home):
    today = timezone.localdate()
    provider_make(
        name="Markerbörse",
        slug="marker",
        figures=[
            figure("taker_pct", "0.26", checked=today - dt.timedelta(days=400)),
            figure("maker_pct", "0.16", checked=today - dt.timedelta(days=10)),
            figure("fixed_eur", "7.77", source=""),  # unsourced
            figure("deposit_sepa", 0, eur=0, recheck=True, basis="Preisverzeichnis, erneut prüfen"),
        ],
    )
    html = text_of(client.get("/vergleich/anbieter/marker/"))
    taker = html[html.index("Taker-Gebühr</th>") :][:900]
    assert "0,26\u00a0%" in taker and "älter als 12 Monate" in taker
    assert 'href="https://example.org/preisverzeichnis"' in taker
    stale_date = (today - dt.timedelta(days=400)).strftime("%d.%m.%Y")
    assert stale_date in taker
    maker = html[html.index("Maker-Gebühr</th>") :][:700]
    assert "0,16\u00a0%" in maker and "älter als" not in maker
    fixed = html[html.index("Feste Gebühr je Order</th>") :][:300]
    assert "nicht geprüft" in fixed and "7,77" not in fixed
    assert "wird erneut geprüft" in html
    assert "1 Angabe älter als 12 Monate" in html


def test_affiliate_links_are_sponsored_and_labelled_anzeige(client, db, home):
    provider_make(
        name="Partnerbörse",
        slug="partner",
        website="https://partner.example",
        affiliate_url="https://partner.example/?ref=kryptowelt",
    )
    provider_make(name="Ohnepartner", slug="ohne", website="https://ohne.example")
    html = text_of(client.get("/vergleich/anbieter/partner/"))
    link = re.search(r'<a [^>]*href="https://partner.example/\?ref=kryptowelt"[^>]*>', html)
    assert link and 'rel="sponsored noopener"' in link.group(0)
    after = html[link.end() :][:300]
    assert "Anzeige" in after
    assert "Was „Anzeige“ bedeutet" in html
    plain = text_of(client.get("/vergleich/anbieter/ohne/"))
    assert 'href="https://ohne.example"' in plain
    assert 'class="cmp-ad"' not in plain
    assert "sponsored" not in plain


def test_side_by_side_shows_two_to_four_providers(client, demo_providers, home):
    response = client.get("/vergleich/gegenueberstellung/", {"anbieter": "kraken,bitvavo,ledger"})
    assert response.status_code == 200
    html = text_of(response)
    for name in ("Kraken", "Bitvavo", "Ledger"):
        assert f">{name}</a>" in html
    assert "Taker-Gebühr" in html and "Gerätepreis ab" in html
    assert "Stand der Angaben" in html
    repeated = client.get("/vergleich/gegenueberstellung/?anbieter=kraken&anbieter=bitvavo")
    assert repeated.status_code == 200 and ">Bitvavo</a>" in text_of(repeated)


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("anbieter=kraken,bitvavo,ledger,trezor,bitbox", 400, "Bitte höchstens 4 Anbieter"),
        ("anbieter=kraken,gibtsnicht", 400, "Diese Anbieter kennen wir nicht: „gibtsnicht“"),
        ("anbieter=kraken", 200, "mindestens einen weiteren Anbieter"),
        ("", 200, "Bitte wählen Sie mindestens zwei Anbieter"),
        ("anbieter=%3Cscript%3E", 400, "&lt;script&gt;"),
    ],
)
def test_side_by_side_bad_input_gets_a_german_message(
    client, demo_providers, query, status, message, home
):
    response = client.get(f"/vergleich/gegenueberstellung/?{query}")
    assert response.status_code == status
    assert message in text_of(response)
    assert "<script>" not in text_of(response).split("</head>")[1]


def test_sitemap_lists_comparison_pages(client, demo_providers, home):
    xml = text_of(client.get("/sitemap.xml"))
    assert "/vergleich/methodik/</loc>" in xml
    assert "/vergleich/anbieter/bitpanda/</loc>" in xml


def test_pages_answer_head_and_reject_post(client, db, home):
    assert client.head("/vergleich/").status_code == 200
    assert client.post("/vergleich/kostenrechner/", {"betrag": "1"}).status_code == 405


# --- rankings that do not punish missing research ----------------------------------------------


def ranked_part(html):
    """The ranked table of a kind page (before the lists of providers without a rank)."""
    return html.split("Ohne Rang")[0].split("Nicht gereiht")[0]


def test_a_provider_with_too_few_checked_figures_is_listed_unranked_never_last_with_zero(
    client, db, home
):
    exchange(
        "Voll", taker="0.1", extra_figures=[figure("german_support", True), figure("twofa", True)]
    )
    provider_make(
        name="Leer", slug="leer", figures=[figure("mica", True, text="BaFin (Deutschland)")]
    )
    html = text_of(client.get("/vergleich/krypto-boersen/"))
    ranked = ranked_part(html)
    assert 'data-provider="voll"' in ranked and 'data-provider="leer"' not in ranked
    # Voll: costs 0,1 % of 3 % -> 96,7; regulation 100; security (2FA only) 100; service 100;
    # offer not checked -> left out: (96,7 × 35 + 100 × 25 + 100 × 20 + 100 × 10) / 90 = 98,7.
    # Coverage: 35 + 25 + 20 × 30 % + 0 + 10 = 76 %.
    assert "98,7</span>" in ranked
    assert "bewertet auf Basis von 76&nbsp;% der Kriterien" in ranked
    unranked = html.split("Ohne Rang: zu wenige geprüfte Angaben")[1]
    assert 'data-provider="leer"' in unranked
    # Leer: only the MiCA figure -> 25 % of the weighted criteria, below 50 %.
    assert "zu wenige geprüfte Angaben (25&nbsp;% der Kriterien)" in unranked
    assert "0,0</span>" not in html and "nicht berechenbar" in unranked
    detail = text_of(client.get("/vergleich/anbieter/leer/"))
    assert "Nicht gereiht – zu wenige geprüfte Angaben" in detail
    assert "Geprüft sind Angaben für 25&nbsp;% der gewichteten Kriterien" in detail


def test_every_ranked_table_states_its_parameters_and_links_the_method(
    client, demo_providers, home
):
    expected = {
        "/vergleich/krypto-boersen/": "Rangfolge nach dem Kryptowelt-Score aus Kosten einer "
        "Order über 500 € (35\u00a0%), Regulierung (MiCA, BaFin) (25\u00a0%), Sicherheit "
        "(20\u00a0%), Angebot (10\u00a0%) und deutschsprachige Hilfe (10\u00a0%)",
        "/vergleich/broker/": "Rangfolge nach dem Kryptowelt-Score aus Kosten",
        # Wallets: 35, 20, 10, 10 of 75 -> 47 %, 27 %, 13 %, 13 %.
        "/vergleich/wallets/": "Rangfolge nach dem Kryptowelt-Score aus Gerätepreis (47\u00a0%)",
        "/vergleich/sparplaene/": "Rangfolge nach den Gesamtkosten eines Sparplans über 50 €",
        "/vergleich/methodik/": "Rangfolge nach dem Kryptowelt-Score aus Kosten",
        "/vergleich/kostenrechner/": "Rangfolge nach den Gesamtkosten Ihrer Order in Euro",
    }
    for url, sentence in expected.items():
        html = text_of(client.get(url))
        disclosure = re.search(r'<p class="cmp-disclosure">(.*?)</p>', html, re.S)
        assert disclosure, url
        assert sentence in disclosure.group(1), url
        assert 'href="/vergleich/methodik/' in disclosure.group(1), url
    sorted_by_name = text_of(client.get("/vergleich/krypto-boersen/", {"sortierung": "name"}))
    assert "Alphabetisch sortiert, ohne Wertung." in sorted_by_name


def test_sparplan_filter_agrees_with_the_labels_shown(client, demo_providers, home):
    for url in ("/vergleich/krypto-boersen/", "/vergleich/broker/"):
        html = text_of(client.get(url))
        labelled = set(
            re.findall(
                r'href="/vergleich/anbieter/([a-z-]+)/">[^<]+</a>\s*'
                r'<span class="cmp-sub">[^<]*Sparplan[^<]*</span>',
                html,
            )
        )
        filtered = text_of(client.get(url, {"sparplan": "on"}))
        found = set(re.findall(r'<tr data-provider="([a-z-]+)">', filtered))
        assert labelled == found, url
    # Bitvavo's recurring buy is checked: labelled and found; Coinbase's is not: neither.
    boersen = text_of(client.get("/vergleich/krypto-boersen/", {"sparplan": "on"}))
    assert 'data-provider="bitvavo"' in boersen and 'data-provider="coinbase"' not in boersen
    assert "1 von 6 Anbietern passen zu Ihrer Auswahl" in boersen


def test_provider_not_serving_germany_is_shown_with_the_reason_never_ranked_or_advertised(
    client, db, home
):
    exchange(
        "Fern",
        taker="0.01",
        extra_figures=[
            figure("available_de", False, text="Kein Angebot mehr in der EU seit 1. Juli 2026"),
            figure("german_support", True),
        ],
        affiliate_url="https://fern.example/?ref=kw",
        website="https://fern.example",
    )
    exchange("Nah", taker="0.5", extra_figures=[figure("german_support", True)])
    html = text_of(client.get("/vergleich/krypto-boersen/"))
    assert 'data-provider="fern"' not in ranked_part(html)
    excluded = html.split("Nicht gereiht: in Deutschland nicht verfügbar")[1]
    assert (
        "In Deutschland nicht verfügbar: Kein Angebot mehr in der EU seit 1. Juli 2026" in excluded
    )
    assert "sponsored" not in html  # no partner link for a provider we do not recommend
    calc = client.get(
        "/vergleich/kostenrechner/", {"betrag": "1000", "coin": "bitcoin", "intervall": "einmalig"}
    )
    results = calc.context["results"]
    assert [item.row.slug for item in results.ranked] == ["nah"]  # Fern would be cheapest
    assert [item.row.slug for item in results.excluded] == ["fern"]
    detail = text_of(client.get("/vergleich/anbieter/fern/"))
    assert "reihen und empfehlen ihn aber nicht" in detail
    assert "sponsored" not in detail


def sparplan_provider(name, *, pricing="broker", figures=()):
    return provider_make(
        name=name,
        slug=name.lower(),
        kind_exchange=pricing == "orderbook",
        kind_broker=pricing == "broker",
        kind_sparplan=True,
        pricing=pricing,
        figures=[figure("mica", True, text="BaFin (Deutschland)"), *figures],
    )


def test_sparplaene_are_ranked_by_the_cost_of_the_plan(client, db, home):
    sparplan_provider(
        "Planbroker",
        figures=[
            figure("sparplan", True),
            figure("sparplan_fee", 0, eur=0),
            figure("sparplan_min_eur", 25),
            figure("commission_pct", 0),
            figure("fixed_eur", 1),
            figure("spread_pct", "0.5"),
            figure("deposit_sepa", 0, eur=0),
        ],
    )
    sparplan_provider(
        "Planboerse",
        pricing="orderbook",
        figures=[
            figure("sparplan", True),
            figure("taker_pct", "0.25"),
            figure("fixed_eur", 0),
            figure("deposit_sepa", 0, eur=0),
        ],
    )
    sparplan_provider(
        "Teilplan",
        figures=[
            figure("sparplan", True),
            figure("sparplan_fee", 0, eur=0),
            figure("spread_pct", None, unpublished=True),
            figure("deposit_sepa", 0, eur=0),
        ],
    )
    sparplan_provider(
        "Ungeprueft",
        pricing="orderbook",
        figures=[
            figure("taker_pct", "0.01"),
            figure("fixed_eur", 0),
            figure("deposit_sepa", 0, eur=0),
        ],
    )
    sparplan_provider(
        "Hochmin",
        figures=[
            figure("sparplan", True),
            figure("sparplan_fee", 0, eur=0),
            figure("sparplan_min_eur", 100),
            figure("spread_pct", "0.1"),
            figure("deposit_sepa", 0, eur=0),
        ],
    )
    response = client.get("/vergleich/sparplaene/")
    assert response.status_code == 200
    plans = response.context["plans"]
    # Planboerse: no own Sparplan fee -> 12 purchases × 0,25 % of 50 € = 1,50 €.
    # Planbroker: Sparplan fee 0 (instead of the 1 € order fee) + 12 × 0,5 % of 50 € = 3,00 €.
    assert [(p.row.slug, p.cost.result.total) for p in plans.ranked] == [
        ("planboerse", Decimal("1.50")),
        ("planbroker", Decimal("3.00")),
    ]
    assert [p.row.slug for p in plans.bounded] == ["teilplan"]
    assert {p.row.slug: p.unranked_reason for p in plans.unranked} == {
        "hochmin": "Mindestrate des Sparplans: 100,00\u00a0€",
        "ungeprueft": "Sparplan-Angebot nicht geprüft",
    }
    html = text_of(response)
    assert "Kosten für 12 × 50\u00a0€" in html
    assert "mindestens <strong>0,00\u00a0€</strong> + Spread" in html
    assert "vom Anbieter nicht veröffentlicht" in html
    assert "Sparplan vorhanden, eine eigene Gebühr je Ausführung ist nicht geprüft" in html
    assert "Kosten bei 500" not in html  # no single 500 € purchase on the Sparplan page


def test_staking_page_compares_coins_share_and_lockup(client, db, home):
    provider_make(
        name="Stakefix",
        slug="stakefix",
        kind_staking=True,
        figures=[
            figure("staking", True),
            figure("staking_coins", "ETH, SOL"),
            figure("staking_cut_pct", 25),
            figure("staking_lockup", "keine"),
        ],
    )
    provider_make(
        name="Stakeoffen", slug="stakeoffen", kind_staking=True, figures=[figure("staking", True)]
    )
    html = text_of(client.get("/vergleich/staking/"))
    ranked = ranked_part(html)
    assert 'data-provider="stakefix"' in ranked and 'data-provider="stakeoffen"' not in ranked
    for value in ("ETH, SOL", "25\u00a0%", "keine"):
        assert value in ranked
    assert "Anteil des Anbieters" in html and "Sperrfrist" in html
    assert "Taker" not in html  # no trading fees on the staking page
    assert "Rangfolge nach dem Anteil an den Staking-Erträgen" in html


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        ("/vergleich/sparplaene/", {"sortierung": "score"}, "Bitte eine der angebotenen"),
        ("/vergleich/staking/", {"sortierung": "kosten"}, "Bitte eine der angebotenen"),
        ("/vergleich/wallets/", {"min_coins": "viele"}, "Bitte eine ganze Zahl angeben."),
    ],
)
def test_bad_input_on_every_kind_page_gets_a_german_message(client, db, url, params, message, home):
    response = client.get(url, params)
    assert response.status_code == 400
    assert message in text_of(response)
