"""The search backend (kryptowelt/search/backend.py): on PostgreSQL page searches match the
indexed body alone, which its GIN index answers, and find the same pages; elsewhere it is
Wagtail's database backend unchanged."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from kryptowelt.glossary.factories import lexicon_index_make, term_make
from kryptowelt.search import backend
from kryptowelt.search.backend import PostgresPageSearchBackend

pytestmark = pytest.mark.django_db

# Our backend (bounded ranking, the date walk or the GIN index chosen by estimate) serves
# PostgreSQL only; on SQLite Wagtail's database backend runs unchanged, so there is nothing of
# ours to test. make test runs this file on PostgreSQL as well.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="tests kryptowelt.search.backend, which serves PostgreSQL only (make test runs it there)",
)


def _reports(article_factory, count):
    """`count` articles about one invented word, published a day apart (oldest first)."""
    return [
        article_factory(
            title=f"Bericht {number}",
            body="Die Walfangquote stieg.",
            published_at=datetime(2026, 1, 1 + number, tzinfo=UTC),
        )
        for number in range(count)
    ]


def test_search_finds_an_article_by_its_title_words_and_its_text(client, article_factory):
    article = article_factory(
        title="Walfang-Verbot auf der Blockchain",
        body="Ein Absatz über Zugspitzenwetter und Kryptowährungen.",
    )
    for query in ("Walfang Verbot", "Zugspitzenwetter", "Kryptowährung Walfang"):
        hits = client.get("/suche/", {"q": query}).context["hits"]
        assert [hit["title"] for hit in hits if not hit.get("shortcut")] == [article.title]


@postgresql_only
def test_postgres_page_search_uses_the_indexable_body_vector(client, article_factory):
    assert isinstance(get_search_backend(), PostgresPageSearchBackend)
    article_factory(title="Walfang-Verbot auf der Blockchain")
    with CaptureQueriesContext(connection) as queries:
        client.get("/suche/", {"q": "Walfang"})
    searches = [query["sql"] for query in queries.captured_queries if "@@" in query["sql"]]
    assert searches
    for sql in searches:
        # `title || body @@ …` can use no index; `body @@ …` the GIN index on body (the
        # entries of the pages to rank, in a subquery, or the estimate of how many match).
        assert re.search(r'(U0|"wagtailsearch_indexentry")\."body" @@', sql)
        assert "||" not in sql.split("@@")[0].rsplit("WHERE", 1)[-1]


@postgresql_only
def test_a_common_word_ranks_only_the_newest_articles_and_every_other_page(
    client, home, article_factory, settings
):
    """A word in more articles than SEARCH_RANKED_NEWEST: only the newest that many articles
    are ranked (work bounded whatever the archive's size); Lexikon entries are never cut."""
    settings.KRYPTOWELT_SEARCH_RANKED_NEWEST = 2
    articles = _reports(article_factory, 4)
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


@postgresql_only
@pytest.mark.parametrize("walk", [True, False])
def test_both_ways_to_the_newest_matches_find_the_same_pages(
    client, home, article_factory, settings, monkeypatch, walk
):
    """Newest matches found walking the dates or through the GIN index (chosen by PostgreSQL's
    estimate of how many entries match): the same pages, the newest SEARCH_RANKED_NEWEST."""
    settings.KRYPTOWELT_SEARCH_RANKED_NEWEST = 3
    matching = _reports(article_factory, 5)
    article_factory(title="Anderes Thema", body="Nichts über Wale.")
    call_command("update_index", verbosity=0)
    monkeypatch.setattr(backend, "_walking_dates_is_cheaper", lambda *args: walk)
    hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
    titles = sorted(hit["title"] for hit in hits if not hit.get("shortcut"))
    assert titles == sorted(article.title for article in matching[2:])


@postgresql_only
def test_the_estimate_prefers_the_date_walk_only_for_words_in_most_articles(article_factory):
    entries = IndexEntry.objects.all()
    tsquery = SearchQuery("walfangquot", search_type="raw", config="german")
    # No entry matches: taking the matches from the GIN index is always cheaper.
    assert not backend._walking_dates_is_cheaper(entries, tsquery, 1000)
    # The word in (nearly) every entry, known to the planner's statistics: walking the dates
    # finds the newest few after a few tests, but not the newest 1,000 of 20.
    _reports(article_factory, 20)
    call_command("update_index", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {IndexEntry._meta.db_table}")
    assert backend._walking_dates_is_cheaper(entries, tsquery, 1)
    assert not backend._walking_dates_is_cheaper(entries, tsquery, 1000)
