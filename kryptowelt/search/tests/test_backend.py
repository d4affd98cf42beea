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

# Our backend (bounded ranking, three ways to the newest matches chosen by estimate) serves
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
    # One statement ranks the articles it keeps (the newest two), one the other page types.
    ranking = [q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"]]
    assert len(ranking) == 2
    assert sum(sql.endswith("LIMIT 2") for sql in ranking) == 1
    settings.KRYPTOWELT_SEARCH_RANKED_NEWEST = 1000
    hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
    assert len([hit for hit in hits if not hit.get("shortcut")]) == 5


@postgresql_only
@pytest.mark.parametrize("route", ["walk", "hash", "lookup"])
def test_every_way_to_the_newest_matches_finds_the_same_pages(
    client, home, article_factory, settings, monkeypatch, route
):
    """Newest matches found walking the dates, through a hash table of the GIN index's
    matches, or by looking up each match's page (chosen by PostgreSQL's estimate of how many
    entries match): the same pages, the newest SEARCH_RANKED_NEWEST, best ranked first."""
    settings.KRYPTOWELT_SEARCH_RANKED_NEWEST = 3
    matching = _reports(article_factory, 5)
    article_factory(title="Anderes Thema", body="Nichts über Wale.")
    loud = article_factory(
        title="Lauter Bericht",
        body="Walfangquote, Walfangquote, Walfangquote.",
        published_at=datetime(2025, 12, 1, tzinfo=UTC),
    )
    call_command("update_index", verbosity=0)
    monkeypatch.setattr(backend, "_archive_route", lambda *args: route)
    hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
    titles = [hit["title"] for hit in hits if not hit.get("shortcut")]
    assert sorted(titles) == sorted(article.title for article in matching[2:])
    settings.KRYPTOWELT_SEARCH_RANKED_NEWEST = 10
    hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
    titles = [hit["title"] for hit in hits if not hit.get("shortcut")]
    assert titles[0] == loud.title  # ranked by the text, not by date
    assert sorted(titles[1:]) == sorted(article.title for article in matching)


@postgresql_only
def test_the_hash_way_makes_postgresql_hash_the_matches(article_factory, monkeypatch):
    """The hash way only pays when PostgreSQL builds a hash table of the matches (a "hashed
    SubPlan"); folded into a join or tested against the list it would walk far slower."""
    from wagtail.models import Page
    from wagtail.search.query import PlainText

    _reports(article_factory, 3)
    call_command("update_index", verbosity=0)
    monkeypatch.setattr(backend, "_archive_route", lambda *args: "hash")
    results = Page.objects.live().search(PlainText("walfangquot"))
    compiler = results.query_compiler
    config = compiler.get_config(results.backend)
    archive_types, _ = backend._page_types()
    tsquery = compiler.build_tsquery(compiler.query, config=config)
    newest = compiler._newest_archive_matches(tsquery, archive_types, 1000)[:1000]
    assert "hashed SubPlan" in newest.explain()


@pytest.mark.parametrize(
    ("matches", "route"),
    [
        (98_000, "walk"),  # "Anleger" in 98 % of 100,000 articles
        (29_600, "hash"),  # "Steuern Kryptowährungen": 30 %
        (6_500, "lookup"),  # "Derivate": 6.5 %
        (0, "lookup"),
    ],
)
def test_the_cheapest_way_follows_the_share_of_articles_that_match(matches, route):
    assert backend._cheapest_route(matches, 100_000, 1000, hash_max=65_536) == route


def test_no_hash_table_that_could_outgrow_postgresqls_hash_memory():
    """30,000 matches in 100,000: the hash way is cheapest while work_mem holds their table;
    with less, PostgreSQL would test each page against the list, so walking wins."""
    assert backend._cheapest_route(30_000, 100_000, 1000, hash_max=65_536) == "hash"
    assert backend._cheapest_route(30_000, 100_000, 1000, hash_max=16_384) == "walk"


@postgresql_only
def test_the_hash_table_is_sized_by_the_connections_work_mem():
    default = backend._work_mem_bytes()
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '1MB'")
    try:
        assert backend._work_mem_bytes() == default  # read once per connection
        # As if the value had been read on an earlier connection of this process.
        connection._kryptowelt_work_mem = (object(), default)
        assert backend._work_mem_bytes() == 1024 * 1024
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET work_mem")


@postgresql_only
def test_the_way_is_chosen_by_postgresqls_estimate_of_the_matches(article_factory, monkeypatch):
    asked = []
    monkeypatch.setattr(
        backend, "_cheapest_route", lambda *args, **kwargs: asked.append(args) or "walk"
    )
    # Every page type, so the estimate is of the word alone, not also of a type's share.
    articles, others = backend._page_types()
    archive_types = articles + others
    tsquery = SearchQuery("walfangquot", search_type="raw", config="german")
    assert backend._archive_route(archive_types, tsquery, 1000) == "walk"
    # No entry matches (PostgreSQL never estimates fewer than one row).
    assert asked.pop()[0] <= 1
    # The word in every entry, known to the planner's statistics.
    _reports(article_factory, 20)
    call_command("update_index", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {IndexEntry._meta.db_table}")
    backend._archive_route(archive_types, tsquery, 1000)
    matches, total, limit = asked.pop()
    assert 15 <= matches <= total
    assert total >= 20
    assert limit == 1000
