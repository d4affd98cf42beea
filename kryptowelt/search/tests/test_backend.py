"""The search backend (kryptowelt/search/backend.py): on PostgreSQL page searches match the
indexed body alone, which its GIN index answers, and find the same pages; elsewhere it is
Wagtail's database backend unchanged."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from kryptowelt.glossary.factories import lexicon_index_make, term_make
from kryptowelt.search.backend import PostgresPageSearchBackend

pytestmark = pytest.mark.django_db


def test_search_finds_an_article_by_its_title_words_and_its_text(client, article_factory):
    article = article_factory(
        title="Walfang-Verbot auf der Blockchain",
        body="Ein Absatz über Zugspitzenwetter und Kryptowährungen.",
    )
    for query in ("Walfang Verbot", "Zugspitzenwetter", "Kryptowährung Walfang"):
        hits = client.get("/suche/", {"q": query}).context["hits"]
        assert [hit["title"] for hit in hits if not hit.get("shortcut")] == [article.title]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query only")
def test_postgres_page_search_uses_the_indexable_body_vector(client, article_factory):
    assert isinstance(get_search_backend(), PostgresPageSearchBackend)
    article_factory(title="Walfang-Verbot auf der Blockchain")
    with CaptureQueriesContext(connection) as queries:
        client.get("/suche/", {"q": "Walfang"})
    searches = [query["sql"] for query in queries.captured_queries if "@@" in query["sql"]]
    assert searches
    for sql in searches:
        # `title || body @@ …` can use no index; `body @@ …` the GIN index on body (the
        # entries of the pages to rank, in a subquery: U0).
        assert 'U0."body" @@' in sql
        assert "||" not in sql.split("@@")[0].rsplit("WHERE", 1)[-1]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="bounded ranking exists only in the PostgreSQL search backend; make test runs this file on PostgreSQL too",
)
def test_a_common_word_ranks_only_the_newest_articles_and_every_other_page(
    client, home, article_factory, settings
):
    """A word in more articles than SEARCH_RANKED_NEWEST: only the newest that many articles
    are ranked (work bounded whatever the archive's size); Lexikon entries are never cut."""
    settings.KRYPTOWELT_SEARCH_RANKED_NEWEST = 2
    articles = [
        article_factory(
            title=f"Bericht {number}",
            body="Die Walfangquote stieg.",
            published_at=datetime(2026, 1, 1 + number, tzinfo=UTC),
        )
        for number in range(4)
    ]
    term = term_make(
        index=lexicon_index_make(home=home),
        title="Walfangquote",
        short="Die Walfangquote ist eine erfundene Kennzahl für diesen Test.",
    )
    call_command("update_index", verbosity=0)
    with CaptureQueriesContext(connection) as queries:
        hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
    titles = [hit["title"] for hit in hits if not hit.get("shortcut")]
    assert sorted(titles) == sorted([term.title, articles[3].title, articles[2].title])
    ranking = [q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"]]
    assert ranking
    assert not any("@@" in sql for sql in ranking)  # matched once, ranked by key
    settings.KRYPTOWELT_SEARCH_RANKED_NEWEST = 1000
    hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
    assert len([hit for hit in hits if not hit.get("shortcut")]) == 5
