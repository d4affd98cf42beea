"""The search backend: Wagtail's database backend, and on PostgreSQL one whose page
searches the full-text index (GIN) can answer.

Wagtail's PostgreSQL backend matches `title || body` of each index entry. PostgreSQL cannot
use an index for that concatenation, so every search read and ranked every entry: with
100,000 articles about a second and a half per query (benchmarks/scale_100k.py). Pages
index no title vector of their own (`BasePage.get_search_fields` leaves the title out and
indexes its stems in the body, `search_stems`), so for pages the body alone gives the same
matches and ranks, and `body @@ query` uses the GIN index on `body`. Other models (images,
documents in the admin) keep Wagtail's behaviour.

Ranking is bounded: a word in nearly every article made PostgreSQL read and rank every
article's vector (10,000 articles: a sequential scan and ts_rank over 9,779 matches, 275 ms
of SQL for "Anleger"; it grows with the archive). Pages of the archive types
(`BasePage.search_newest_first`: articles) are ranked among their newest
`SEARCH_RANKED_NEWEST` matches only (default 1,000, as many as the search view keeps); every
other page type (Lexikon, guides, coins) is ranked in full. One statement per group finds
and ranks them (`PageBodyQueryCompiler.ranked_rows`); how it finds the newest archive matches
follows PostgreSQL's estimate of how many there are (`_archive_route`). Site search reads the
result as plain rows (`PageSearchResults.ranked_rows`); Wagtail's own API (the admin's page
search) gets the same pages as a queryset.

While it indexes, a page remembers its computed search text (`SEARCH_INDEXING_MEMO`): Wagtail
reads each search field once per index column, five times in all, and stemming an article's
text was most of the time of indexing one (benchmarks/scale_100k.py)."""

import json
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from modelsearch.backends.database import SearchBackend as database_search_backend
from modelsearch.backends.database.postgres import postgres
from wagtail.models import Page, get_page_models
from wagtail.search.models import IndexEntry
from wagtail.search.query import Fuzzy, MatchAll, Not

from kryptowelt.caching.remember import remembered
from kryptowelt.core.models import SEARCH_INDEXING_MEMO, BasePage


class RankedPage(NamedTuple):
    pk: int
    title: str
    content_type_id: int
    rank: float


class PageBodyQueryCompiler(postgres.PostgresSearchQueryCompiler):
    def get_index_vectors(self, search_query):
        if issubclass(self.queryset.model, Page):
            return [(F("index_entries__body"), 1.0)]
        return super().get_index_vectors(search_query)

    def _ranks_pages(self) -> bool:
        return issubclass(self.queryset.model, Page) and not isinstance(
            self.query, MatchAll | Not | Fuzzy
        )

    def search(self, config, start, stop, score_field=None, backend=None):
        """Wagtail's API (the admin's page search): the pages of `ranked_rows`, as a queryset
        ordered by Wagtail's own rank expression."""
        if not self._ranks_pages():
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        ids = [row.pk for row in self.ranked_rows(config)]
        tsquery = self.build_tsquery(self.query, config=config)
        rank = self._build_rank_expression(self.get_search_vectors(tsquery), config)
        queryset = self.queryset.filter(pk__in=ids)
        return self._apply_ordering_and_scoring(queryset, rank, start, stop, score_field)

    def ranked_rows(self, config) -> list[RankedPage]:
        """The matching pages, best first, as plain rows: every match of the small page types,
        and of the archive types (`BasePage.search_newest_first`: articles) the newest
        SEARCH_RANKED_NEWEST.

        One statement for the archive types and one for the others, whatever the archive's
        size; each ranks the pages it keeps. PostgreSQL ranks after the sort and the limit
        (an expensive expression in the select list waits for them), so ts_rank, which reads
        a page's whole vector (several kB, stored out of line), runs for the pages returned
        only."""
        tsquery = self.build_tsquery(self.query, config=config)
        entry_vector = Subquery(_entry_of_page().values("body")[:1])
        rank = self.build_tsrank(entry_vector, self.query, config=config)
        columns = ("pk", "title", "content_type_id", "_rank")
        archive_types, other_types = _page_types()
        rows: list[tuple] = []
        if other_types:
            others = self.queryset.filter(content_type_id__in=other_types)
            others = others.filter(_page_matches(tsquery))
            rows += others.annotate(_rank=rank).values_list(*columns)
        if archive_types:
            limit = settings.KRYPTOWELT_SEARCH_RANKED_NEWEST
            newest = self._newest_archive_matches(tsquery, archive_types, limit)
            rows += newest.annotate(_rank=rank).values_list(*columns)[:limit]
        ranked = [RankedPage(*row) for row in rows]
        ranked.sort(key=lambda row: (-row.rank, -row.pk))
        return ranked

    def _newest_archive_matches(self, tsquery, archive_types, limit):
        """The archive pages that match, newest first, found the cheapest of three ways for
        how many articles the words are in (`_archive_route`); the caller keeps `limit`."""
        pages = self.queryset.filter(content_type_id__in=archive_types)
        route = _archive_route(archive_types, tsquery, limit)
        matches = (
            IndexEntry.objects.filter(content_type_id__in=archive_types, body=tsquery)
            .annotate(page_id=Cast("object_id", output_field=IntegerField()))
            .values("page_id")
        )
        if route == "walk":
            pages = pages.filter(_page_matches(tsquery))
        elif route == "hash":
            # Inside CASE the IN cannot become a join: PostgreSQL hashes the matches once and
            # tests each page of the date walk against that table.
            in_matches = When(pk__in=matches, then=Value(True))
            pages = pages.filter(Case(in_matches, default=None, output_field=BooleanField()))
        else:
            # The LIMIT keeps PostgreSQL from folding the subquery into a walk along the
            # date index: each match is read, its page looked up, the newest kept.
            pages = pages.filter(pk__in=matches[:_NO_LIMIT])
        return pages.order_by("-first_published_at", "-pk")


def _entry_of_page():
    """The index entry of the outer query's page. By its own content type and id: the
    `index_entries` relation joins on any page type (an IN list of every type, tested for
    each page: the walk along the dates took twice as long)."""
    return IndexEntry.objects.filter(
        content_type_id=OuterRef("content_type_id"),
        object_id=Cast(OuterRef("pk"), output_field=CharField(max_length=50)),
    )


def _page_matches(tsquery) -> Exists:
    """The outer query's page has an index entry that matches `tsquery`."""
    return Exists(_entry_of_page().filter(body=tsquery))


def _page_types() -> tuple[list[int], list[int]]:
    """Content type ids of the archive page types (`BasePage.search_newest_first`) and of the
    others. By name both: "not an archive type" is a condition no index answers, so
    PostgreSQL read the whole page table (25 ms at 100,000 articles)."""
    archive_types, other_types = [], []
    for model in get_page_models():
        newest_first = issubclass(model, BasePage) and model.search_newest_first
        types = archive_types if newest_first else other_types
        types.append(ContentType.objects.get_for_model(model).pk)
    return archive_types, other_types


# A LIMIT no archive reaches: it only makes the subquery one PostgreSQL evaluates on its own.
_NO_LIMIT = 2**31 - 1


def _estimated_rows(queryset) -> float:
    """PostgreSQL's own estimate of the rows `queryset` gives (EXPLAIN, nothing executed)."""
    plan = json.loads(queryset.explain(format="json"))
    return float(plan[0]["Plan"]["Plan Rows"])


# What one step of each way costs, in microseconds (benchmarks/scale_100k.py at 100,000
# articles on a 2-core machine; the ratios are what counts): testing an article of the date
# walk against the words (its index entry looked up, the vector read), testing it against a
# hash table of the matches, and reading one match from the GIN index into that table or
# looking up its page.
_WALK_TEST_US = 15
_HASH_TEST_US = 2
_HASH_MATCH_US = 0.6
_LOOKUP_MATCH_US = 5
# PostgreSQL hashes the matches only while it expects the table to fit its hash memory
# (work_mem × hash_mem_multiplier, 32 bytes a match); unhashed, it would test each page of the
# walk against the whole list of matches (1.5 s for a word in 98,000 articles). Counted here
# with twice that size and work_mem alone, so the estimate may be off by half.
_HASH_BYTES_PER_MATCH = 64


def _archive_route(archive_types: list[int], tsquery, limit: int) -> str:
    """How to find the newest `limit` matches, by PostgreSQL's estimate of how many entries
    match (m of n):

    - "walk": along the date index, testing each article (about limit × n / m tests: cheap
      when the words are in most articles, "Anleger", 98 %);
    - "lookup": every match from the GIN index, its page looked up, sorted by date (cheap
      when they are in few);
    - "hash": the matches from the GIN index into a hash table, then along the date index
      until `limit` pages are in it (words in some of the articles: "Steuern
      Kryptowährungen", 30 %: 150 ms by lookup, 80 ms walking, 35 ms this way).

    The planner cannot choose well itself: it prices the test of a vector as nearly free and
    so walked for words in a few per cent of the articles too ("Derivate", 6 %: 26,000
    articles tested, 240 ms at 100,000; 20 ms by lookup)."""
    entries = IndexEntry.objects.filter(content_type_id__in=archive_types)
    matches = _estimated_rows(entries.filter(body=tsquery))
    # The number of entries changes with publishing only: remembered until content changes.
    total = remembered(
        "search:estimated-entries:" + ",".join(map(str, sorted(archive_types))),
        lambda: _estimated_rows(entries),
        seconds=600,
    )
    hash_max = _work_mem_bytes() / _HASH_BYTES_PER_MATCH
    return _cheapest_route(matches, total, limit, hash_max=hash_max)


def _cheapest_route(matches: float, total: float, limit: int, *, hash_max: float) -> str:
    tested = total if matches < limit else limit * total / matches
    costs = {"walk": _WALK_TEST_US * tested, "lookup": _LOOKUP_MATCH_US * matches}
    if matches <= hash_max:
        costs["hash"] = _HASH_MATCH_US * matches + _HASH_TEST_US * tested
    return min(costs, key=costs.get)


def _work_mem_bytes() -> int:
    """PostgreSQL's work_mem for this connection, read once per database connection (an
    operator may set it per server, database or role, and change it)."""
    cached = getattr(connection, "_kryptowelt_work_mem", None)
    if cached is None or cached[0] is not connection.connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_bytes(current_setting('work_mem'))")
            cached = (connection.connection, int(cursor.fetchone()[0]))
        connection._kryptowelt_work_mem = cached
    return cached[1]


class PageMemoIndex(postgres.PostgresIndex):
    def add_items(self, model, objs):
        objs = list(objs)
        for obj in objs:
            obj.__dict__[SEARCH_INDEXING_MEMO] = {}
        try:
            return super().add_items(model, objs)
        finally:
            for obj in objs:
                obj.__dict__.pop(SEARCH_INDEXING_MEMO, None)


class PageSearchResults(postgres.PostgresSearchResults):
    def ranked_rows(self, limit: int) -> list[RankedPage]:
        """Site search's way in: the best `limit` matches as rows, no page instances (made
        into instances, the 1,000 candidates of a common word were a third of a search's
        time)."""
        if not self.query_compiler._ranks_pages():
            return [
                RankedPage(page.pk, page.title, page.content_type_id, 0.0) for page in self[:limit]
            ]
        config = self.query_compiler.get_config(self.backend)
        return self.query_compiler.ranked_rows(config)[:limit]


class PostgresPageSearchBackend(postgres.PostgresSearchBackend):
    query_compiler_class = PageBodyQueryCompiler
    results_class = PageSearchResults
    index_class = PageMemoIndex


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    if connection.vendor == "postgresql":
        return PostgresPageSearchBackend(params)
    return database_search_backend(params)
