"""The comparison pages as readers use them: tables, filters, provider pages, side by side."""

import datetime as dt
import re

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


def exchange(name, *, taker, mica=True, coins=None, **extra):
    figures = [
        figure("taker_pct", taker),
        figure("fixed_eur", 0),
        figure("deposit_sepa", 0, eur=0),
        figure("mica", mica, text="BaFin (Deutschland)" if mica else ""),
    ]
    if coins is not None:
        figures.append(figure("coins", coins))
    return provider_make(name=name, slug=name.lower(), figures=figures, **extra)


def test_overview_and_every_kind_page_show_the_real_providers(client, demo_providers):
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
    assert 'href="/vergleich/" aria-current="page">Vergleiche</a>' in nav


def test_every_real_provider_page_shows_sourced_dated_figures(client, demo_providers):
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


def test_unknown_provider_and_kind_are_404(client, db):
    assert client.get("/vergleich/anbieter/gibt-es-nicht/").status_code == 404
    assert client.get("/vergleich/aktien/").status_code == 404


def test_draft_provider_is_not_shown(client, db):
    provider_make(name="Entwurfsbörse", slug="entwurf", publish=False)
    assert client.get("/vergleich/anbieter/entwurf/").status_code == 404
    assert "Entwurfsbörse" not in text_of(client.get("/vergleich/krypto-boersen/"))


def test_filters_keep_only_providers_with_verified_matching_figures(client, db):
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


def test_sorting_by_costs_name_and_coins(client, db):
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
def test_bad_filter_input_gets_a_german_message(client, db, params, message):
    exchange("Alpha", taker="0.1")
    response = client.get("/vergleich/krypto-boersen/", params)
    assert response.status_code == 400
    html = text_of(response)
    assert message in html
    assert "Alpha" in html  # the table is still there


def test_figures_show_source_date_and_stale_recheck_and_unchecked_markers(client, db):
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


def test_affiliate_links_are_sponsored_and_labelled_anzeige(client, db):
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


def test_side_by_side_shows_two_to_four_providers(client, demo_providers):
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
    client, demo_providers, query, status, message
):
    response = client.get(f"/vergleich/gegenueberstellung/?{query}")
    assert response.status_code == status
    assert message in text_of(response)
    assert "<script>" not in text_of(response).split("</head>")[1]


def test_sitemap_lists_comparison_pages(client, demo_providers):
    xml = text_of(client.get("/sitemap.xml"))
    assert "/vergleich/methodik/</loc>" in xml
    assert "/vergleich/anbieter/bitpanda/</loc>" in xml


def test_pages_answer_head_and_reject_post(client, db):
    assert client.head("/vergleich/").status_code == 200
    assert client.post("/vergleich/kostenrechner/", {"betrag": "1"}).status_code == 405
