"""The lexicon through its entry points: pages, article links, cache, search, admin."""

import json
import re

import pytest

from kryptowelt.glossary.factories import lexicon_index_make, term_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def lexicon(home):
    index = lexicon_index_make(home=home)
    bitcoin = term_make(
        index=index,
        title="Bitcoin",
        short="Bitcoin ist die erste Kryptowährung.",
        variants=("BTC",),
        body="Bitcoin startete 2009. Man bewahrt Bitcoin in einer Wallet auf.",
        sources=("https://bitcoin.org/bitcoin.pdf",),
    )
    wallet = term_make(
        index=index,
        title="Wallet",
        short="Eine Wallet verwaltet die Schlüssel zu Kryptowerten.",
        variants=("Krypto-Wallet",),
        related=(bitcoin,),
    )
    cash = term_make(index=index, title="Bitcoin Cash", short="Eine Abspaltung von Bitcoin.")
    spread = term_make(
        index=index,
        title="Spread",
        short="Die Differenz von Kauf- und Verkaufskurs.",
        case_sensitive=True,
    )
    block = term_make(
        index=index, title="Block", short="Ein Datenpaket der Blockchain.", autolink=False
    )
    return {
        "index": index,
        "bitcoin": bitcoin,
        "wallet": wallet,
        "cash": cash,
        "spread": spread,
        "block": block,
    }


def term_links(html):
    body = html.split('class="article__body prose">')[1].split("</article>")[0]
    return re.findall(r'class="term__link" href="([^"]+)"[^>]*>([^<]+)</a>', body)


def json_ld(html):
    return [
        json.loads(m)
        for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    ]


# --- lexicon pages -------------------------------------------------------------------------
def test_index_lists_terms_a_to_z_with_letter_navigation_and_defined_term_set(client, lexicon):
    response = client.get("/lexikon/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "5 Begriffe von A bis Z" in html
    assert '<a href="#buchstabe-b">B</a>' in html
    assert '<span aria-disabled="true" title="Keine Begriffe mit A">A</span>' in html
    assert (
        html.index('id="buchstabe-b"')
        < html.index('id="buchstabe-s"')
        < html.index('id="buchstabe-w"')
    )
    assert '<a href="/lexikon/bitcoin/">Bitcoin</a>' in html
    assert "Eine Wallet verwaltet die Schlüssel zu Kryptowerten." in html
    term_set = next(d for d in json_ld(html) if d["@type"] == "DefinedTermSet")
    names = [t["name"] for t in term_set["hasDefinedTerm"]]
    assert names == ["Bitcoin", "Bitcoin Cash", "Block", "Spread", "Wallet"]
    assert term_set["hasDefinedTerm"][0]["url"] == "http://testserver/lexikon/bitcoin/"
    assert '<a href="/lexikon/"' in html  # main navigation


def test_term_page_shows_definition_variants_sources_related_and_defined_term(client, lexicon):
    response = client.get("/lexikon/wallet/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Wallet</h1>" in html
    assert "Eine Wallet verwaltet die Schlüssel zu Kryptowerten." in html
    assert "Krypto-Wallet" in html
    related = html.split("Verwandte Begriffe</h2>")[1]
    assert '<a href="/lexikon/bitcoin/">Bitcoin</a>' in related
    data = next(d for d in json_ld(html) if d["@type"] == "DefinedTerm")
    assert data["name"] == "Wallet"
    assert data["alternateName"] == ["Krypto-Wallet"]
    assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"
    assert data["inDefinedTermSet"]["url"] == "http://testserver/lexikon/"


def test_term_page_links_other_terms_but_never_itself(client, lexicon):
    html = client.get("/lexikon/bitcoin/").content.decode()
    body = html.split('class="prose term-page__body">')[1].split("</div>")[0]
    assert 'href="/lexikon/wallet/"' in body
    assert 'href="/lexikon/bitcoin/"' not in body
    assert "https://bitcoin.org/bitcoin.pdf" in html


def test_term_page_lists_articles_tagged_with_the_term(client, lexicon, article_factory):
    tagged = article_factory(title="Wallets im Vergleich", tags=("Wallets",))
    article_factory(title="Nur Börsen", tags=("Börsen",))
    html = client.get("/lexikon/wallet/").content.decode()
    assert "Artikel zum Thema Wallet" in html
    assert tagged.title in html
    assert "Nur Börsen" not in html


def test_unknown_term_is_404(client, lexicon):
    assert client.get("/lexikon/gibt-es-nicht/").status_code == 404


def test_site_search_finds_lexicon_terms(client, lexicon):
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    response = client.get("/suche/", {"q": "Schlüssel Kryptowerten"})
    assert response.status_code == 200
    titles = [hit["page"].title for hit in response.context["hits"]]
    assert "Wallet" in titles


def test_search_ranks_the_named_term_above_short_titled_ones(client, lexicon, article_factory):
    from django.core.management import call_command

    for number in range(3):  # articles have long titles, as on the real site
        article_factory(
            title=f"Ein langer Titel über Märkte, Regulierung und Technik, Teil {number}",
            body="Nichts über das Thema.",
        )
    term_make(
        index=lexicon["index"],
        title="ETP",
        short="Ein börsengehandeltes Produkt, etwa auf Bitcoin.",
        body="Ein ETP bildet zum Beispiel den Kurs von Bitcoin ab. Bitcoin-ETPs sind häufig.",
        case_sensitive=True,
    )
    call_command("update_index", verbosity=0)
    titles = [hit["page"].title for hit in client.get("/suche/", {"q": "Bitcoin"}).context["hits"]]
    assert titles.index("Bitcoin") < titles.index("ETP")


# --- automatic links in articles -----------------------------------------------------------
def test_article_links_first_mention_of_terms_with_tooltip(client, lexicon, article_factory):
    article = article_factory(
        body=(
            "## Bitcoin kaufen\n\nWer Bitcoins kauft, braucht eine Krypto-Wallet. Bitcoin "
            "ist nicht Bitcoin Cash. Der spread ist klein geschrieben, der Spread nicht.\n\n"
            "> Ein Block voller Bitcoin.\n> — Erika Musterfrau\n\n"
            ":::tipp Wallet prüfen\nJede Wallet braucht ein Backup.\n:::"
        )
    )
    html = client.get(article.url).content.decode()
    assert term_links(html) == [
        ("/lexikon/bitcoin/", "Bitcoins"),
        ("/lexikon/wallet/", "Krypto-Wallet"),
        ("/lexikon/bitcoin-cash/", "Bitcoin Cash"),
        ("/lexikon/spread/", "Spread"),
    ]
    assert re.search(r"<h2[^>]*>Bitcoin kaufen</h2>", html)
    assert "<blockquote><p>Ein Block voller Bitcoin.</p></blockquote>" in html
    assert 'id="begriff-bitcoin" role="tooltip" hidden>Bitcoin ist die erste Kryptowährung.' in html


def test_article_links_respect_max_links_setting(client, lexicon, article_factory, settings):
    settings.KRYPTOWELT_GLOSSARY_MAX_LINKS = 1
    article = article_factory(body="Bitcoin, Wallet und Spread.")
    assert term_links(client.get(article.url).content.decode()) == [
        ("/lexikon/bitcoin/", "Bitcoin")
    ]


def test_editors_can_switch_links_off_per_article(client, lexicon, article_factory):
    article = article_factory(body="Bitcoin in der Wallet.")
    assert term_links(client.get(article.url).content.decode())
    article.glossary_links = False
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert term_links(html) == []
    assert "Bitcoin in der Wallet." in html


def test_editors_can_switch_links_off_per_term(client, lexicon, article_factory):
    article = article_factory(body="Bitcoin in der Wallet.")
    wallet = lexicon["wallet"]
    wallet.autolink = False
    wallet.save_revision().publish()
    assert term_links(client.get(article.url).content.decode()) == [
        ("/lexikon/bitcoin/", "Bitcoin")
    ]


def test_cached_links_follow_term_changes(client, lexicon, article_factory):
    article = article_factory(body="Bitcoin in der Wallet.")
    first = client.get(article.url).content.decode()
    assert "Eine Wallet verwaltet die Schlüssel zu Kryptowerten." in first
    assert client.get(article.url).content.decode() == first  # served from the cache

    wallet = lexicon["wallet"]
    wallet.short_definition = "Eine Wallet ist der Schlüsselbund für Kryptowerte."
    wallet.save_revision().publish()
    second = client.get(article.url).content.decode()
    assert "Eine Wallet ist der Schlüsselbund für Kryptowerte." in second
    assert "Eine Wallet verwaltet" not in second

    wallet.unpublish()
    assert term_links(client.get(article.url).content.decode()) == [
        ("/lexikon/bitcoin/", "Bitcoin")
    ]


def test_cached_links_follow_article_changes(client, lexicon, article_factory):
    article = article_factory(body="Bitcoin hier.")
    assert term_links(client.get(article.url).content.decode()) == [
        ("/lexikon/bitcoin/", "Bitcoin")
    ]
    article.body = [{"type": "paragraph", "value": "<p>Jetzt nur die Wallet.</p>"}]
    article.save_revision().publish()
    assert term_links(client.get(article.url).content.decode()) == [("/lexikon/wallet/", "Wallet")]


def test_linking_runs_once_per_content_and_lexicon_version(lexicon, monkeypatch):
    from kryptowelt.caching.scopes import Scope, changed
    from kryptowelt.glossary import selectors
    from kryptowelt.glossary.linking import TermMatcher

    calls = []
    original = TermMatcher.link

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(TermMatcher, "link", counting)
    fragments = ["<p>Bitcoin und Wallet.</p>"]
    first = selectors.linked_fragments(fragments=fragments)
    assert selectors.linked_fragments(fragments=fragments) == first
    assert len(calls) == 1
    changed(Scope.MARKETS)  # prices changed: the links stay
    selectors.linked_fragments(fragments=fragments)
    assert len(calls) == 1
    changed(Scope.GLOSSARY)  # a term was published
    selectors.linked_fragments(fragments=fragments)
    assert len(calls) == 2


# --- admin ----------------------------------------------------------------------------------
def test_admin_rejects_a_spelling_that_belongs_to_another_term(admin_client, lexicon):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    index = lexicon["index"]
    data = nested_form_data(
        {
            "title": "Krypto-Geldbörse",
            "slug": "krypto-geldboerse",
            "short_definition": "Ein anderes Wort.",
            "body": streamfield([]),
            "variants": "krypto-wallet",
            "case_sensitive": "",
            "autolink": "on",
            "sources": "",
            "related_term_links": inline_formset([]),
            "related_article_links": inline_formset([]),
        }
    )
    response = admin_client.post(f"/admin/pages/add/glossary/lexicontermpage/{index.pk}/", data)
    assert response.status_code == 200
    assert "„krypto-wallet“ ist schon eine Schreibweise von „Wallet“." in response.content.decode()
    from kryptowelt.glossary.models import LexiconTermPage

    assert not LexiconTermPage.objects.filter(slug="krypto-geldboerse").exists()
