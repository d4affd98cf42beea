import re

import pytest
from django.core.management import call_command

from kryptowelt.comparisons.factories import provider_make
from kryptowelt.comparisons.models import Provider
from kryptowelt.glossary.factories import lexicon_index_make, term_make
from kryptowelt.markets.models import Coin
from kryptowelt.markets.services.sync import coin_markets_sync
from kryptowelt.markets.tests.fakes import make_client, markets_api, payload
from kryptowelt.search.analysis import query_stems
from kryptowelt.text import stem_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(article_factory):
    return {
        "plural": article_factory(
            title="Kryptowährungen im Überblick",
            body="Die wichtigsten Kryptowährungen und ihre Börsen im Vergleich.",
            tags=["Einsteiger"],
        ),
        "boerse": article_factory(
            title="Die Börse als Handelsplatz",
            body="Eine Börse bringt Käufer und Verkäufer zusammen.",
            tags=["Börsen"],
        ),
        "unrelated": article_factory(
            title="Steuern auf Staking",
            body="Staking-Erträge sind sonstige Einkünfte.",
            tags=["Steuern"],
        ),
    }


def titles(response) -> list[str]:
    """The pages found, without the coins, providers and calculators listed before them."""
    return [hit["title"] for hit in response.context["hits"] if not hit.get("shortcut")]


def result_urls(response) -> list[str]:
    """Every result in the order shown: links in the result list."""
    html = response.content.decode().split('class="search-results"')[1].split("</ol>")[0]
    return re.findall(r'class="search-result__title"><a href="([^"]+)"', html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kryptowährung", "plural"),
        ("kryptowaehrungen", "plural"),
        ("Börse", "boerse"),
        ("Börsen", "boerse"),
        ("Boerse", "boerse"),
        ("BOERSEN", "boerse"),
    ],
)
def test_search_understands_german_word_forms(client, corpus, query, expected):
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 200
    assert corpus[expected].title in titles(response)
    assert corpus["unrelated"].title not in titles(response)


def test_results_are_ranked_and_snippets_highlighted(client, corpus):
    response = client.get("/suche/", {"q": "Börse"})
    html = response.content.decode()
    assert titles(response)[0] == corpus["boerse"].title  # in the title, so ranked first
    assert "<mark>Börse</mark>" in html
    assert "Treffer für „Börse“" in html
    first = next(hit for hit in response.context["hits"] if not hit.get("shortcut"))
    assert first["kind"] == "Artikel"  # what the page is, from its own type
    assert first["url"] == corpus["boerse"].url


def test_snippets_are_remembered_and_show_an_edited_text_at_once(client, article_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kryptowelt.caching.memory import memory
    from kryptowelt.core.markdown import markdown_to_blocks

    article = article_factory(title="Wochenbericht", body="Die Walfangquote stieg leicht.")
    html = client.get("/suche/", {"q": "Walfangquote"}).content.decode()
    assert "Die <mark>Walfangquote</mark> stieg leicht" in html
    # Asked again: the snippet's text is remembered, the article itself is not loaded.
    with CaptureQueriesContext(connection) as queries:
        client.get("/suche/", {"q": "Walfangquote"})
    assert not any('"news_articlepage"' in query["sql"] for query in queries.captured_queries)
    # Another app process (its own memory empty) reads the text from the shared cache.
    memory.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get("/suche/", {"q": "Walfangquote"})
    assert not any('"news_articlepage"' in query["sql"] for query in queries.captured_queries)
    article.body = markdown_to_blocks("Die Walfangquote fiel deutlich.")
    article.save_revision().publish()
    html = client.get("/suche/", {"q": "Walfangquote"}).content.decode()
    assert "Die <mark>Walfangquote</mark> fiel deutlich" in html
    assert "stieg leicht" not in html


def test_private_pages_are_not_found(client, article_factory):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    secret = article_factory(title="Walfangquote intern", body="Die Walfangquote, vertraulich.")
    public = article_factory(title="Walfangquote öffentlich", body="Die Walfangquote, offen.")
    assert sorted(titles(client.get("/suche/", {"q": "Walfangquote"}))) == sorted(
        [secret.title, public.title]
    )
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    ).groups.add(Group.objects.get_or_create(name="Redaktion")[0])
    assert titles(client.get("/suche/", {"q": "Walfangquote"})) == [public.title]


def test_search_is_paginated(client, article_factory):
    for number in range(12):
        article_factory(title=f"Bitcoin-Bericht {number}", body="Bitcoin und nochmals Bitcoin.")
    first = client.get("/suche/", {"q": "Bitcoin"})
    second = client.get("/suche/", {"q": "Bitcoin", "seite": "2"})
    assert len(first.context["hits"]) == 10
    assert len(second.context["hits"]) == 2
    assert 'href="?q=Bitcoin&amp;seite=2"' in first.content.decode()


def test_falls_back_to_any_word_when_no_page_has_all(client, corpus):
    response = client.get("/suche/", {"q": "Börse Dinosaurier"})
    assert corpus["boerse"].title in titles(response)
    assert "kein Ergebnis enthält alle Wörter" in response.content.decode()


def test_no_results_message(client, corpus):
    response = client.get("/suche/", {"q": "Dinosaurier"})
    assert response.status_code == 200
    assert "Keine Treffer" in response.content.decode()


HOSTILE = [
    "x" * 10_000,
    "Börse " * 2_000,
    '"Bitcoin',
    '"""',
    "*",
    "bit*",
    "Bitcoin NEAR Börse",
    "NEAR(Bitcoin Börse, 3)",
    "Bitcoin AND OR NOT",
    "AND",
    "(((Bitcoin",
    "Bitcoin)))",
    "title:Bitcoin",
    "\x00\x01\x02\x1b[31m",
    "'; DROP TABLE wagtailcore_page; --",
    "<script>alert(1)</script>",
    "ü" * 600,
    "🚀🌕",
    "%",
    "\\",
    "^ ~ - + : {}",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_any_query_gives_a_normal_page(client, corpus, query):
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "Suche" in html


def test_search_with_bad_page_number_is_not_an_error(client, corpus):
    assert client.get("/suche/", {"q": "Börse", "seite": "abc"}).status_code == 200
    assert client.get("/suche/", {"q": "Börse", "seite": "9999"}).status_code == 200


def test_empty_query_shows_the_form(client, home):
    response = client.get("/suche/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_unpublished_pages_are_not_found(client, article_factory):
    article = article_factory(title="Geheimes Kryptothema")
    article.unpublish()
    assert "Geheimes Kryptothema" not in titles(client.get("/suche/", {"q": "Kryptothema"}))


def test_analysis_reduces_queries_to_plain_stems():
    assert query_stems("Kryptowährung") == query_stems("Kryptowährungen") == ["kryptowahr"]
    assert query_stems("Boerse") == query_stems("Börsen")
    assert query_stems('AND OR NEAR "(*)"') == []
    assert all(stem.isalnum() for stem in query_stems("Layer-2 BTC/EUR 97,4 %"))
    assert stem_text("Börsen") == "bors"


def test_title_matches_rank_above_short_pages_that_only_mention_the_word(client, article_factory):
    from kryptowelt.core.markdown import markdown_to_blocks
    from kryptowelt.core.models import StandardPage
    from kryptowelt.home.models import HomePage

    home = HomePage.objects.get()
    about = StandardPage(title="Über", slug="ueber", body=markdown_to_blocks("Wir über Bitcoin."))
    home.add_child(instance=about)
    about.save_revision().publish()
    article = article_factory(title="Bitcoin im Überblick", body="Alles über Bitcoin.")
    mention = article_factory(title="Ein ganz anderer Titel", body="Nebenbei: Bitcoin.")
    ranked = titles(client.get("/suche/", {"q": "Bitcoin"}))
    assert ranked[0] == article.title
    assert ranked.index(mention.title) < ranked.index("Über")


# --- coins, providers and calculators by name ------------------------------------------------


@pytest.fixture
def portal(home, article_factory):
    """Recorded CoinGecko answers (Bitcoin, Ethereum, …), a provider, and articles that
    mention all of them in their titles, so a page could easily outrank the destination."""
    assert coin_markets_sync(client=make_client(markets_api()), logos=False).ok
    Coin.objects.create(coingecko_id="bitcoin-ohne-daten", name="Bitcoin Ohne Daten", symbol="bod")
    provider_make(name="Binance", slug="binance", summary="Die größte Börse. Viele Coins.")
    provider_make(name="Kraken", slug="kraken", company="Payward Inc.")
    article_factory(title="Bitcoin steigt: Binance meldet Rekordvolumen", body="Bitcoin Binance.")
    article_factory(title="Der Steuerrechner im Test", body="Ein Steuerrechner rechnet.")
    article_factory(title="Sparplan oder Einmalanlage?", body="Sparplan, Sparplan, Sparplan.")
    article_factory(title="Was ein Kostenrechner zeigt", body="Kostenrechner und Gebühren.")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("bitcoin", "/kurse/bitcoin/"),
        ("Bitcoin", "/kurse/bitcoin/"),
        ("BTC", "/kurse/bitcoin/"),
        ("Bitcoin Kurs", "/kurse/bitcoin/"),
        ("solana preis euro", "/kurse/solana/"),
        ("Binance", "/vergleich/anbieter/binance/"),
        ("binance gebühren", "/vergleich/anbieter/binance/"),
        ("Payward Inc.", "/vergleich/anbieter/kraken/"),
        ("Steuerrechner", "/rechner/steuer/"),
        ("Krypto Steuer Rechner", "/rechner/steuer/"),
        ("Sparplan", "/rechner/sparplan/"),
        ("Sparplanrechner", "/rechner/sparplan/"),
        ("Kostenrechner", "/vergleich/kostenrechner/"),
        ("Gewinnrechner", "/rechner/gewinn/"),
    ],
)
def test_a_coin_provider_or_calculator_named_in_the_query_comes_first(client, portal, query, first):
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 200
    assert result_urls(response)[0] == first


def test_destinations_lead_only_the_first_page_and_link_only_to_pages_that_exist(
    client, portal, article_factory
):
    response = client.get("/suche/", {"q": "bitcoin"})
    urls = result_urls(response)
    # Bitcoin Cash would be a prefix match; an exact name leaves the weaker ones out, and
    # a coin without any data (no page, /kurse/… would be a 404) is never offered.
    assert [url for url in urls if url.startswith("/kurse/")] == ["/kurse/bitcoin/"]
    assert "/kurse/bitcoin-ohne-daten/" not in response.content.decode()
    # The articles follow, with the count of everything found.
    assert "Bitcoin steigt: Binance meldet Rekordvolumen" in titles(response)
    assert f"{len(urls)} Treffer" in response.content.decode()
    html = client.get("/suche/", {"q": "Bitcoin"}).content.decode()
    assert "Kurs und Chart" in html and "<mark>Bitcoin</mark> (BTC)" in html


def test_destinations_follow_the_pillar_pages_being_published(client, portal):
    """The pages offering destinations are remembered between searches, until content
    changes: withdrawn calculators lead nowhere at once, and back once republished."""
    from kryptowelt.calculators.models import CalculatorIndexPage

    assert result_urls(client.get("/suche/", {"q": "Steuerrechner"}))[0] == "/rechner/steuer/"
    calculators = CalculatorIndexPage.objects.get()
    calculators.unpublish()
    assert "/rechner/steuer/" not in result_urls(client.get("/suche/", {"q": "Steuerrechner"}))
    calculators.save_revision().publish()
    assert result_urls(client.get("/suche/", {"q": "Steuerrechner"}))[0] == "/rechner/steuer/"


def test_coins_and_providers_are_remembered_and_follow_a_sync_and_a_publish(client, portal):
    """Every search asks whether its words name a coin or a provider: answered from memory
    (no query of its own), renewed by the next price sync and by a provider's publish."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert "81.234,56" in client.get("/suche/", {"q": "Bitcoin"}).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/suche/", {"q": "Kraken"})
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "markets_coin" not in tables and "comparisons_provider" not in tables

    entries = [dict(entry) for entry in payload("coins_markets_eur.json")]
    entries[0]["current_price"] = 90_000
    assert coin_markets_sync(client=make_client(markets_api(**{"/coins/markets": [entries]}))).ok
    assert "90.000,00" in client.get("/suche/", {"q": "Bitcoin"}).content.decode()

    kraken = Provider.objects.get(slug="kraken")
    kraken.name = "Kraken Pro"
    kraken.save_revision().publish()
    assert "/vergleich/anbieter/kraken/" in result_urls(client.get("/suche/", {"q": "Kraken Pro"}))


def test_a_prefix_finds_coins_when_nothing_matches_exactly(client, portal):
    urls = result_urls(client.get("/suche/", {"q": "eth"}))
    assert "/kurse/ethereum/" in urls


# --- Lexikon entries -----------------------------------------------------------------------------


@pytest.fixture
def lexicon(home, article_factory):
    index = lexicon_index_make(home=home)
    terms = {
        "boerse": term_make(
            index=index,
            title="Krypto-Börse",
            variants=("Kryptobörse", "CEX", "Centralized Exchange", "zentrale Börse"),
            short="Eine Krypto-Börse ist eine Handelsplattform für Kryptowerte.",
        ),
        "maker": term_make(
            index=index,
            title="Maker-Gebühr",
            variants=("Maker-Fee", "Maker Fee"),
            short="Die Gebühr einer Börse für Aufträge, die Liquidität bringen.",
            body="Jede Börse nennt sie anders. An der Börse zahlt man sie.",
        ),
    }
    articles = [
        article_factory(
            title=f"Bericht Nummer {number}",
            body="Die Börse meldete Zahlen. " + "Lange Geschichte über Märkte. " * 40,
        )
        for number in range(3)
    ]
    call_command("update_index", verbosity=0)
    return terms, articles


def test_lexicon_snippets_show_the_definition_not_the_synonym_list(client, lexicon):
    response = client.get("/suche/", {"q": "Börse"})
    hit = next(h for h in response.context["hits"] if h["title"] == "Krypto-Börse")
    snippet = re.sub(r"<[^>]+>", "", str(hit["snippet"]))
    assert snippet.startswith("Eine Krypto-Börse ist")
    assert snippet.count("CEX") == 0 and snippet.count("Kryptobörse") <= 1
    # A variant is still what finds the entry.
    assert titles(client.get("/suche/", {"q": "CEX"}))[0] == "Krypto-Börse"


def test_lexicon_entries_that_only_mention_a_common_word_follow_the_articles(client, lexicon):
    ranked = titles(client.get("/suche/", {"q": "Börse"}))
    assert ranked[0] == "Krypto-Börse"  # its headword contains the word
    maker = ranked.index("Maker-Gebühr")  # its text only mentions it, three times
    assert all(ranked.index(f"Bericht Nummer {n}") < maker for n in range(3)), ranked


def test_words_whose_stem_is_a_stop_word_are_found(client, article_factory):
    """ "Sicherheit", "sicher" and "Sicherung" stem to "sich": PostgreSQL's German stop-word
    list dropped that stem from the index and from the query, so none of them was found.
    Stop words are left out by the word, before stemming, on every database."""
    article = article_factory(
        title="Wallets im Test",
        body="Die Sicherheit der Schlüssel entscheidet sich nicht am Preis.",
    )
    article_factory(title="Anderes Thema", body="Ein Absatz über Gebühren.")
    for query in ("Sicherheit", "sicher", "Sicherung der Schlüssel"):
        assert titles(client.get("/suche/", {"q": query})) == [article.title], query
    # The pronoun is no match for "Sicherheit", though it is their stem.
    html = client.get("/suche/", {"q": "Sicherheit"}).content.decode()
    assert "Die <mark>Sicherheit</mark> der Schlüssel entscheidet sich nicht" in html
