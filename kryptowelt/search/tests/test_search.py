import pytest

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
    return [hit["page"].title for hit in response.context["hits"]]


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
