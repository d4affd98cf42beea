"""Editors maintain providers in the Wagtail admin: validation, drafts, revisions, report."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from kryptowelt.comparisons.factories import figure, provider_make
from kryptowelt.comparisons.models import Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chefin", "chefin@example.com", "pw")
    client.force_login(user)
    return client


def figure_row(
    key,
    number="",
    number_eur="",
    flag="",
    text="",
    source="",
    checked="",
    coin="",
    unpublished="",
    effective="",
):
    return {
        "key": key,
        "coin": coin,
        "number": number,
        "number_eur": number_eur,
        "flag": flag,
        "text": text,
        "source": source,
        "checked": checked,
        "effective": effective,
        "recheck": "",
        "unpublished": unpublished,
        "basis": "",
        "note": "",
    }


def provider_form(figures, **overrides):
    data = {
        "name": "Neue Börse",
        "slug": "neue-boerse",
        "kind_exchange": "on",
        "pricing": "orderbook",
        "company": "Neue Börse GmbH",
        "country": "Deutschland",
        "summary": "Eine Börse.",
        "pros": "",
        "cons": "",
        "apps": "",
        "fee_note": "",
        "website": "https://neue.example",
        "affiliate_url": "",
        "mica_lei": "",
        "figures": inline_formset(figures),
    }
    data.update(overrides)
    return nested_form_data(data)


ADD = reverse("wagtailsnippets_comparisons_provider:add")
TODAY = timezone.localdate().isoformat()


def test_editor_creates_and_publishes_a_provider_with_sourced_figures(admin_client, client, home):
    figures = [
        figure_row(
            "taker_pct", number="0,25", source="https://neue.example/gebuehren", checked=TODAY
        ),
        figure_row(
            "mica",
            flag="true",
            text="BaFin (Deutschland)",
            source="https://neue.example/lizenz",
            checked=TODAY,
        ),
    ]
    response = admin_client.post(ADD, {**provider_form(figures), "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:3000]
    provider = Provider.objects.get(slug="neue-boerse")
    assert provider.live
    assert provider.revisions.count() == 1
    assert provider.figures.count() == 2
    page = client.get("/vergleich/anbieter/neue-boerse/").content.decode()
    assert "0,25\u00a0%" in page and "BaFin (Deutschland)" in page
    listing = admin_client.get(reverse("wagtailsnippets_comparisons_provider:list"))
    cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", listing.content.decode())
    assert "Neue Börse" in listing.content.decode()
    assert "True" not in cells and "False" not in cells


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            figure_row("taker_pct", number="150", source="https://a.example", checked=TODAY),
            "Ein Prozentwert muss zwischen 0 und 100 liegen.",
        ),
        (
            figure_row("spread_pct", number="-1", source="https://a.example", checked=TODAY),
            "Ein Prozentwert muss zwischen 0 und 100 liegen.",
        ),
        (
            figure_row("taker_pct", number="0,2", source="kein-link", checked=TODAY),
            "Bitte eine gültige Adresse",
        ),
        (
            figure_row("taker_pct", number="0,2", source="javascript:alert(1)", checked=TODAY),
            "Bitte eine gültige Adresse",
        ),
        (
            figure_row("taker_pct", number="0,2", source="https://a.example"),
            "Bitte angeben, wann die Angabe an der Quelle geprüft wurde.",
        ),
        (
            figure_row("taker_pct", number="0,2", source="https://a.example", checked="2999-01-01"),
            "Das Prüfdatum darf nicht in der Zukunft liegen.",
        ),
        (
            figure_row("deposit_sepa", number="0", source="https://a.example", checked=TODAY),
            "Bitte den festen Betrag in Euro angeben",
        ),
        (
            figure_row(
                "withdrawal_fee", number="0,0001", source="https://a.example", checked=TODAY
            ),
            "Bitte den Kryptowert angeben",
        ),
        (
            figure_row("mica", source="https://a.example", checked=TODAY),
            "bitte Ja oder Nein wählen",
        ),
    ],
)
def test_editor_cannot_save_invalid_figures(admin_client, row, message, home):
    response = admin_client.post(ADD, provider_form([row]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Provider.objects.filter(slug="neue-boerse").exists()


def test_editor_enters_fees_per_coin_with_a_default_and_an_unpublished_spread(
    admin_client, client, home
):
    src = {"source": "https://neue.example/preise", "checked": TODAY}
    figures = [
        figure_row("commission_pct", number="2,5", **src),  # default: every other coin
        figure_row("commission_pct", number="1,5", coin="BTC", **src),
        figure_row("fixed_eur", number="0", **src),
        figure_row("deposit_sepa", number="0", number_eur="0", **src),
        figure_row("spread_pct", unpublished="on", **src),
        figure_row("mica", flag="true", text="BaFin (Deutschland)", effective="2025-03-15", **src),
    ]
    form = provider_form(figures, kind_exchange="", kind_broker="on", pricing="broker")
    response = admin_client.post(ADD, {**form, "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:3000]
    query = {"betrag": "1000", "intervall": "einmalig"}
    btc = client.get("/vergleich/kostenrechner/", {**query, "coin": "bitcoin"})
    eth = client.get("/vergleich/kostenrechner/", {**query, "coin": "ethereum"})
    # 1,5 % (BTC) and 2,5 % (default) of 1.000 €; the spread is not published: a lower bound.
    assert btc.context["results"].bounded[0].result.minimum == Decimal("15.00")
    assert eth.context["results"].bounded[0].result.minimum == Decimal("25.00")
    page = client.get("/vergleich/anbieter/neue-boerse/").content.decode()
    assert "Provision je Order (BTC)" in page
    assert "vom Anbieter nicht veröffentlicht" in page
    assert 'zugelassen am <time datetime="2025-03-15">15.03.2025</time>' in page


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            figure_row(
                "spread_pct",
                number="1",
                unpublished="on",
                source="https://a.example",
                checked=TODAY,
            ),
            "Eine nicht veröffentlichte Angabe hat keinen Wert",
        ),
        (
            figure_row("spread_pct", unpublished="on"),
            "braucht eine Quelle und ein Prüfdatum",
        ),
        (
            figure_row(
                "mica", flag="true", unpublished="on", source="https://a.example", checked=TODAY
            ),
            "kann nicht als „nicht veröffentlicht“ gelten",
        ),
        (
            figure_row(
                "german_support", flag="true", coin="BTC", source="https://a.example", checked=TODAY
            ),
            "Ein Kryptowert kann nur bei Handelsgebühren",
        ),
        (
            figure_row(
                "taker_pct",
                number="0,2",
                source="https://a.example",
                checked=TODAY,
                effective="2999-01-01",
            ),
            "„gültig seit“ darf nicht in der Zukunft liegen",
        ),
    ],
)
def test_editor_gets_german_messages_for_coin_and_unpublished_figures(
    admin_client, row, message, home
):
    response = admin_client.post(ADD, provider_form([row]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Provider.objects.filter(slug="neue-boerse").exists()


def test_editor_gets_a_german_message_for_a_wrong_lei(admin_client, home):
    response = admin_client.post(ADD, provider_form([], mica_lei="KW00TEST, 529900JB9XYZ8E87N345"))
    assert response.status_code == 200
    assert (
        "Eine LEI besteht aus 20 Großbuchstaben und Ziffern: KW00TEST" in response.content.decode()
    )
    assert not Provider.objects.exists()


def test_editor_cannot_enter_the_same_figure_twice(admin_client, home):
    rows = [
        figure_row("taker_pct", number="0,2", source="https://a.example", checked=TODAY),
        figure_row("taker_pct", number="0,3", source="https://b.example", checked=TODAY),
    ]
    response = admin_client.post(ADD, provider_form(rows))
    assert response.status_code == 200
    assert "ist schon einmal eingetragen" in response.content.decode()
    assert not Provider.objects.exists()


def test_provider_needs_a_kind(admin_client, home):
    response = admin_client.post(ADD, provider_form([], kind_exchange=""))
    assert response.status_code == 200
    assert "Bitte mindestens eine Art des Angebots wählen." in response.content.decode()


def test_saving_a_draft_keeps_readers_on_the_published_figures(admin_client, client, home):
    provider = provider_make(name="Stabil", slug="stabil", figures=[figure("taker_pct", "0.2")])
    edit = reverse("wagtailsnippets_comparisons_provider:edit", args=[provider.pk])
    draft = provider_form(
        [figure_row("taker_pct", number="0,9", source="https://a.example", checked=TODAY)],
        name="Stabil",
        slug="stabil",
    )
    response = admin_client.post(edit, draft)
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.has_unpublished_changes
    assert provider.revisions.count() == 2
    page = client.get("/vergleich/anbieter/stabil/").content.decode()
    assert "0,2\u00a0%" in page and "0,9\u00a0%" not in page


def test_a_published_change_to_a_provider_shows_at_once_where_pages_are_cached(
    admin_client, home, settings
):
    """Production keeps whole pages (PAGE_CACHE_SECONDS) until the content changes: an
    editor's published fee must not wait for the cached page to expire, and an unpublished
    provider must leave the comparison at once. (Readers only: the editor skips caches.)"""
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 300
    reader = Client()
    provider = provider_make(
        name="Neue Börse", slug="neue-boerse", figures=[figure("taker_pct", "0.25")]
    )
    url = "/vergleich/anbieter/neue-boerse/"
    assert "0,25\u00a0%" in reader.get(url).content.decode()
    assert reader.get(url)["X-App-Cache"] == "HIT"
    assert "Neue Börse" in reader.get("/vergleich/krypto-boersen/").content.decode()

    edit = reverse("wagtailsnippets_comparisons_provider:edit", args=[provider.pk])
    changed = provider_form(
        [figure_row("taker_pct", number="0,35", source="https://a.example", checked=TODAY)]
    )
    assert admin_client.post(edit, {**changed, "action-publish": "publish"}).status_code == 302
    page = reader.get(url).content.decode()
    assert "0,35\u00a0%" in page and "0,25\u00a0%" not in page

    unpublish = reverse("wagtailsnippets_comparisons_provider:unpublish", args=[provider.pk])
    assert admin_client.post(unpublish).status_code == 302
    assert reader.get(url).status_code == 404
    assert "Neue Börse" not in reader.get("/vergleich/krypto-boersen/").content.decode()


def test_a_provider_change_purges_the_pages_that_show_it(purged, home, article_factory):
    """The caching proxy is purged as for a page: the comparison pages, the provider's own
    page and the articles whose provider box names it."""
    provider = provider_make(name="Alpha", slug="alpha", figures=[figure("taker_pct", "0.2")])
    other = provider_make(name="Beta", slug="beta")
    article = article_factory(section="wissen", title="Alpha im Test")
    article.body = [{"type": "provider_box", "value": {"provider": provider.pk, "heading": ""}}]
    article.save_revision().publish()
    elsewhere = article_factory(section="wissen", title="Beta im Test")
    elsewhere.body = [{"type": "provider_box", "value": {"provider": other.pk, "heading": ""}}]
    elsewhere.save_revision().publish()
    base = "http://testserver"
    shown = {
        f"{base}/vergleich/",
        f"{base}/vergleich/krypto-boersen/",
        f"{base}/vergleich/anbieter/alpha/",
        f"{base}{article.url}",
        f"{base}/sitemap.xml",
    }
    purged.clear()
    provider.save_revision().publish()
    assert shown <= set(purged), shown - set(purged)
    assert f"{base}{elsewhere.url}" not in purged
    purged.clear()
    provider.unpublish()
    assert shown <= set(purged), shown - set(purged)
    purged.clear()
    provider.delete()
    assert f"{base}/vergleich/anbieter/alpha/" in purged


def test_review_report_lists_stale_unsourced_and_recheck_figures(admin_client, home):
    old = timezone.localdate() - dt.timedelta(days=500)
    provider_make(
        name="Altbörse",
        slug="alt",
        figures=[
            figure("taker_pct", "0.3", checked=old),
            figure("maker_pct", "0.1"),
            figure("fixed_eur", 0, source=""),
            figure("deposit_sepa", 0, eur=0, recheck=True),
        ],
    )
    response = admin_client.get(reverse("comparisons_figure_review"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vergleichsdaten prüfen" in html
    assert "Taker-Gebühr" in html and "älter als 365 Tage" in html
    assert "ohne Quelle" in html
    assert "erneut prüfen" in html
    assert "Maker-Gebühr" not in html  # fresh and sourced


def test_review_report_lists_figures_by_how_many_rankings_depend_on_them(admin_client, home):
    old = timezone.localdate() - dt.timedelta(days=500)
    provider_make(
        name="Reihenbörse",
        slug="reihe",
        kind_broker=True,
        kind_sparplan=True,
        figures=[
            figure("founded", 2015, checked=old),  # shown, but no ranking depends on it
            figure("coins", 120, checked=old),  # score on two kind pages + method page
            # taker fee: score (Börsen, Broker, Methodik) + calculator + Sparplan ranking
            figure("taker_pct", "0.3", checked=old),
        ],
    )
    html = admin_client.get(reverse("comparisons_figure_review")).content.decode()
    order = [html.index(label) for label in ("Taker-Gebühr", "Anzahl Kryptowerte", "Gründungsjahr")]
    assert order == sorted(order)
    assert (
        'data-rankings="5"><strong>5</strong>: Krypto-Börsen, Broker, Methodik-Rangliste, Kostenrechner, Sparpläne'
        in html
    )
    assert 'data-rankings="3"><strong>3</strong>: Krypto-Börsen, Broker, Methodik-Rangliste' in html
    assert 'data-rankings="0"><strong>0</strong>' in html
    assert "Noch kein Register importiert" in html


def test_review_report_needs_permission(client, django_user_model, home):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("gast", "gast@example.com", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(reverse("comparisons_figure_review"))
    assert response.status_code in (302, 403)


def test_preview_renders_the_provider_page_with_unsaved_figures(rf, db):
    provider = provider_make(name="Vorschau", slug="vorschau", figures=[figure("taker_pct", "0.2")])
    from kryptowelt.comparisons.models import ProviderFigure

    provider.figures.add(
        ProviderFigure(
            key="maker_pct", number="0.1", source="https://a.example", checked=timezone.localdate()
        )
    )
    response = provider.make_preview_request(rf.get("/"), "")
    html = response.render().content.decode()
    assert "Vorschau" in html
    assert "0,1\u00a0%" in html and "0,2\u00a0%" in html
