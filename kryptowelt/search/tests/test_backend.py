"""The search backend (kryptowelt/search/backend.py): on PostgreSQL page searches match the
indexed body alone, which its GIN index answers, and find the same pages; elsewhere it is
Wagtail's database backend unchanged."""

import importlib
import re
from datetime import UTC, datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.glossary.factories import lexicon_index_make, term_make
from kryptowelt.search import backend
from kryptowelt.search.backend import PostgresPageSearchBackend
from kryptowelt.search.models import ArchiveEntry, ArchiveWalkEntry

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
        # entries of the pages to rank, in a subquery, the archive's entries, or the estimate
        # of how many match).
        assert re.search(
            r'(U0|"wagtailsearch_indexentry"|"kw_search_archive(walk)?entry")\."body" @@', sql
        )
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
    assert sum("LIMIT 2)" in sql for sql in ranking) == 1
    settings.KRYPTOWELT_SEARCH_RANKED_NEWEST = 1000
    hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
    assert len([hit for hit in hits if not hit.get("shortcut")]) == 5


@postgresql_only
@pytest.mark.parametrize("route", ["walk", "bitmap"])
def test_every_way_to_the_newest_matches_finds_the_same_pages(
    client, home, article_factory, settings, monkeypatch, route
):
    """Newest matches found walking the dates or taking every match from the GIN index (chosen
    by PostgreSQL's estimate of how many entries match): the same pages, the newest
    SEARCH_RANKED_NEWEST, best ranked first."""
    settings.KRYPTOWELT_SEARCH_RANKED_NEWEST = 3
    matching = _reports(article_factory, 5)
    article_factory(title="Anderes Thema", body="Nichts über Wale.")
    loud = article_factory(
        title="Lauter Bericht",
        body="Walfangquote, Walfangquote, Walfangquote.",
        published_at=datetime(2025, 12, 1, tzinfo=UTC),
    )
    call_command("update_index", verbosity=0)
    monkeypatch.setattr(backend, "_archive_route", lambda *args, **kwargs: route)
    hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
    titles = [hit["title"] for hit in hits if not hit.get("shortcut")]
    assert sorted(titles) == sorted(article.title for article in matching[2:])
    settings.KRYPTOWELT_SEARCH_RANKED_NEWEST = 10
    hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
    titles = [hit["title"] for hit in hits if not hit.get("shortcut")]
    assert titles[0] == loud.title  # ranked by the text, not by date
    assert sorted(titles[1:]) == sorted(article.title for article in matching)


def _archive_plan(route, monkeypatch, *, off=("seqscan",)) -> str:
    """PostgreSQL's plan for the archive statement of `route`, with the scans in `off`
    disallowed (a test's few rows are read fastest whole, whatever the statement)."""
    from wagtail.models import Page
    from wagtail.search.query import PlainText

    monkeypatch.setattr(backend, "_archive_route", lambda *args, **kwargs: route)
    with CaptureQueriesContext(connection) as queries:
        Page.objects.live().search(PlainText("walfangquot")).ranked_rows(1000)
    statements = [q["sql"] for q in queries.captured_queries if "kw_search_archive" in q["sql"]]
    with connection.cursor() as cursor:
        for scan in off:
            cursor.execute(f"SET enable_{scan} = off")
        try:
            cursor.execute("EXPLAIN " + statements[-1])
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            for scan in off:
                cursor.execute(f"RESET enable_{scan}")


@postgresql_only
def test_each_way_reads_the_index_it_is_chosen_for(article_factory, monkeypatch):
    """Walking, the entries (their vectors in the row) come in the date index's order, newest
    first, no sort needed; the other way PostgreSQL takes the matches from the GIN index of
    the narrow table and sorts them (the planner alone walks for words in a few per cent of
    the articles)."""
    _reports(article_factory, 3)
    call_command("update_index", verbosity=0)
    walk = _archive_plan("walk", monkeypatch, off=("seqscan", "bitmapscan"))
    assert "Index Scan using kw_search_walk_newest" in walk
    assert "Sort" not in walk
    bitmap = _archive_plan("bitmap", monkeypatch)
    assert "kw_search_archive_body_gin" in bitmap
    assert "kw_search_walk_newest" not in bitmap
    assert "Sort" in bitmap


@postgresql_only
def test_the_walk_reads_vectors_from_the_row():
    """`ArchiveWalkEntry` keeps its vectors in the row (reading them out of line, one by one,
    was most of a walk's time)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attstorage, c.reloptions FROM pg_attribute a JOIN pg_class c "
            "ON c.oid = a.attrelid WHERE c.relname = %s AND a.attname = 'body'",
            [ArchiveWalkEntry._meta.db_table],
        )
        storage, options = cursor.fetchone()
    assert storage == "m"  # MAIN: compressed in the row before anything moves out of line
    assert "toast_tuple_target=8160" in options


@pytest.mark.parametrize(
    ("matches", "route"),
    [
        (98_000, "walk"),  # "Anleger" in 98 % of 100,000 articles
        (29_600, "walk"),  # "Steuern Kryptowährungen": 30 %
        (6_500, "bitmap"),  # "Derivate": 6.5 %
        (0, "bitmap"),
    ],
)
def test_the_cheapest_way_follows_the_share_of_articles_that_match(matches, route):
    assert backend._cheapest_route(matches, 100_000, 1000) == route


@postgresql_only
def test_the_way_is_chosen_by_postgresqls_estimate_of_the_matches(article_factory, monkeypatch):
    asked = []
    monkeypatch.setattr(backend, "_cheapest_route", lambda *args: asked.append(args) or "walk")
    _reports(article_factory, 20)
    call_command("update_index", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ArchiveEntry._meta.db_table}")
    # The word in every entry, known to the planner's statistics.
    tsquery = SearchQuery("walfangquot", search_type="raw", config="german")
    assert backend._archive_route(tsquery, 1000) == "walk"
    matches, total, limit = asked.pop()
    assert 15 <= matches <= 20
    # A word in no entry (PostgreSQL never estimates fewer than one row).
    backend._archive_route(SearchQuery("blumenkohl", search_type="raw", config="german"), 1000)
    assert asked.pop()[0] <= 1
    assert limit == 1000


@postgresql_only
def test_the_archive_entries_follow_publishing_editing_and_deleting(client, article_factory):
    """What search finds of the archive comes from `ArchiveEntry`, kept with Wagtail's index
    entries: a new article is found by its words, an edited one by its new words only, an
    unpublished or deleted one no more."""
    article = article_factory(title="Bericht", body="Die Walfangquote stieg.")
    for model in (ArchiveEntry, ArchiveWalkEntry):
        entry = model.objects.get(page=article)
        assert entry.published_at == article.first_published_at

    def found(query):
        hits = client.get("/suche/", {"q": query}).context.get("hits") or []
        return [hit["title"] for hit in hits if not hit.get("shortcut")]

    assert found("Walfangquote") == ["Bericht"]
    edited = article.specific
    edited.body = markdown_to_blocks("Die Robbenzählung sank.")
    edited.save_revision().publish()
    assert found("Robbenzählung") == ["Bericht"]
    assert found("Walfangquote") == []
    article.specific.unpublish()
    assert found("Robbenzählung") == []
    article.specific.save_revision().publish()
    assert found("Robbenzählung") == ["Bericht"]
    article.specific.delete()
    assert not ArchiveEntry.objects.filter(page_id=article.pk).exists()
    assert not ArchiveWalkEntry.objects.filter(page_id=article.pk).exists()
    assert found("Robbenzählung") == []


@postgresql_only
def test_articles_a_reader_may_not_see_do_not_crowd_out_older_ones(
    client, article_factory, settings, monkeypatch
):
    """The newest SEARCH_RANKED_NEWEST matches are those the reader may see: when the newest
    entries are unpublished articles, search reads further back."""
    settings.KRYPTOWELT_SEARCH_RANKED_NEWEST = 2
    reports = _reports(article_factory, 5)
    call_command("update_index", verbosity=0)
    for report in reports[2:]:
        # Unpublished without a new index entry: as if the index lagged behind.
        type(report).objects.filter(pk=report.pk).update(live=False)
    hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
    titles = [hit["title"] for hit in hits if not hit.get("shortcut")]
    assert sorted(titles) == sorted(report.title for report in reports[:2])
    # Only the newest unpublished: reading further back finds four, and keeps the newest two.
    type(reports[3]).objects.filter(pk__in=[reports[2].pk, reports[3].pk]).update(live=True)
    for route in ("walk", "bitmap"):
        monkeypatch.setattr(backend, "_archive_route", lambda *args, route=route, **kw: route)
        hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
        titles = [hit["title"] for hit in hits if not hit.get("shortcut")]
        assert sorted(titles) == sorted(report.title for report in reports[2:4]), route


@postgresql_only
def test_an_existing_site_gets_its_archive_entries_from_the_index(
    client, article_factory, monkeypatch
):
    """The migration fills `ArchiveEntry` from Wagtail's index entries (a site indexed before
    it), and the articles are found again; a draft never published gets none."""
    article = article_factory(title="Bericht", body="Die Walfangquote stieg.")
    draft = article_factory(title="Entwurf", body="Die Walfangquote fiel.")
    type(draft).objects.filter(pk=draft.pk).update(live=False, first_published_at=None)
    call_command("update_index", verbosity=0)
    ArchiveEntry.objects.all().delete()
    ArchiveWalkEntry.objects.all().delete()
    assert client.get("/suche/", {"q": "Walfangquote"}).context["hits"] == []
    with connection.schema_editor() as editor:
        for migration, fill in (
            ("0001_archiveentry", "entries_fill"),
            ("0003_archivewalkentry", "rows_copy"),
        ):
            module = importlib.import_module(f"kryptowelt.search.migrations.{migration}")
            getattr(module, fill)(None, editor)
    for route in ("walk", "bitmap"):
        monkeypatch.setattr(backend, "_archive_route", lambda *args, route=route, **kw: route)
        hits = client.get("/suche/", {"q": "Walfangquote"}).context["hits"]
        assert [hit["title"] for hit in hits if not hit.get("shortcut")] == [article.title]
    assert ArchiveEntry.objects.count() == ArchiveWalkEntry.objects.count() == 1
