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
and ranks them (`PageBodyQueryCompiler.ranked_rows`). The archive's statement reads
`ArchiveEntry` or `ArchiveWalkEntry` (kryptowelt/search/models.py: the vector beside the
date, out of line or in the row, kept with the index entry by `PageMemoIndex`), as
PostgreSQL's estimate of how many articles match makes cheaper (`_archive_route`). Site search reads the result as plain rows
(`PageSearchResults.ranked_rows`); Wagtail's own API (the admin's page search) gets the same
pages as a queryset.

While it indexes, a page remembers its computed search text (`SEARCH_INDEXING_MEMO`): Wagtail
reads each search field once per index column, five times in all, and stemming an article's
text was most of the time of indexing one (benchmarks/scale_100k.py)."""

import json
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, connections
from django.db.models import (
    CharField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from modelsearch.backends.database import SearchBackend as database_search_backend
from modelsearch.backends.database.postgres import postgres
from wagtail.models import Page, get_page_models
from wagtail.search.models import IndexEntry
from wagtail.search.query import Fuzzy, MatchAll, Not

from kryptowelt.caching.remember import remembered
from kryptowelt.core.models import SEARCH_INDEXING_MEMO, BasePage
from kryptowelt.search.models import ArchiveEntry, ArchiveWalkEntry


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
        SEARCH_RANKED_NEWEST (`_newest_archive_rows`).

        One statement for the other types: PostgreSQL ranks after the filter (an expensive
        expression in the select list waits for it), so ts_rank, which reads a page's whole
        vector (several kB, stored out of line), runs for the matches only."""
        tsquery = self.build_tsquery(self.query, config=config)
        archive_types, other_types = _page_types()
        rows: list[RankedPage] = []
        if other_types:
            entry_vector = Subquery(_entry_of_page().values("body")[:1])
            rank = self.build_tsrank(entry_vector, self.query, config=config)
            others = self.queryset.filter(content_type_id__in=other_types)
            others = others.filter(_page_matches(tsquery)).annotate(_rank=rank)
            columns = ("pk", "title", "content_type_id", "_rank")
            rows += [RankedPage(*row) for row in others.values_list(*columns)]
        if archive_types:
            limit = settings.KRYPTOWELT_SEARCH_RANKED_NEWEST
            rows += self._newest_archive_rows(tsquery, config, archive_types, limit)
        rows.sort(key=lambda row: (-row.rank, -row.pk))
        return rows

    def _newest_archive_rows(self, tsquery, config, archive_types, limit) -> list[RankedPage]:
        """The newest `limit` archive pages of this queryset that match, ranked.

        One statement: the newest matching entries (`ArchiveEntry` or `ArchiveWalkEntry`: the
        vector beside the date), found the cheaper of two ways for how many articles the
        words are in (`_archive_route`); for each, its page if the queryset allows it (live,
        public, whatever the caller filtered), with its title; then ranked. Should it drop some (an
        unpublished or private article among the newest), the next statement reads four times
        as many entries."""
        using = self.queryset.db
        wanted = limit
        while True:
            found = self._newest_entries(tsquery, config, archive_types, wanted, using=using)
            rows = [RankedPage(*row) for row in found if row[1] is not None]
            if len(rows) >= limit or len(found) < wanted or wanted >= limit * _REFILL_MAX:
                return rows[:limit]
            wanted *= 4

    def _newest_entries(self, tsquery, config, archive_types, count, *, using) -> list[tuple]:
        """(page id, title, content type id, rank) of the newest `count` archive entries that
        match, newest first; title and type are None where the queryset leaves the page out.

        Ranked outside the sorted and limited part: given ts_rank in its own select list,
        PostgreSQL ranked every match before sorting (4,700 vectors read for "Toncoin" at
        100,000 articles: 115 ms instead of 8). Ranked with the vectors of `ArchiveWalkEntry`,
        stored in the row: walking, those the walk tested; the other way, looked up by page
        (out of line, the thousand vectors of "Toncoin" took 11.5 ms to read, in the row
        6.5 ms)."""
        vectors = ArchiveWalkEntry._meta.db_table
        if _archive_route(tsquery, count, using=using) == "walk":
            matches = ArchiveWalkEntry.objects.using(using).filter(body=tsquery)
            newest = F("published_at").desc()
            columns = ("page_id", "published_at", "body")
            inner = matches.order_by(newest, "-page_id").values(*columns)[:count]
            vector, join = '"newest"."body"', ""
        else:
            matches = ArchiveEntry.objects.using(using).filter(body=tsquery)
            # Sorted by an expression no index holds: PostgreSQL takes the matches from the
            # GIN index and keeps the newest while it reads them (a top-N sort).
            shifted = F("published_at") + _NO_TIME
            newest = ExpressionWrapper(shifted, output_field=DateTimeField()).desc()
            inner = matches.order_by(newest, "-page_id").values("page_id", "published_at")
            inner = inner[:count]
            vector = '"vectors"."body"'
            join = f'JOIN "{vectors}" AS "vectors" ON "vectors"."page_id" = "newest"."page_id" '
        page_id = RawSQL('"newest"."page_id"', (), output_field=IntegerField())
        allowed = self.queryset.filter(pk=page_id, content_type_id__in=archive_types)
        allowed = allowed.order_by().values("title", "content_type_id")
        outer = ArchiveEntry.objects.using(using).all().query
        column = RawSQL(vector, (), output_field=SearchVectorField())  # noqa: S611 - ours
        rank = self.build_tsrank(column, self.query, config=config)
        rank_sql, rank_params = rank.resolve_expression(outer).as_sql(
            outer.get_compiler(using), connections[using]
        )
        inner_sql, inner_params = inner.query.sql_with_params()
        allowed_sql, allowed_params = allowed.query.sql_with_params()
        # Every part compiled by Django, every value a parameter.
        sql = (
            f'SELECT "newest"."page_id", "allowed"."title", "allowed"."content_type_id", '  # noqa: S608
            f'{rank_sql} FROM ({inner_sql}) AS "newest" {join}'
            f'LEFT JOIN LATERAL ({allowed_sql}) AS "allowed" ON TRUE '
            # Joins need not keep the order of the subquery; the caller keeps the newest.
            'ORDER BY "newest"."published_at" DESC, "newest"."page_id" DESC'
        )
        with connections[using].cursor() as cursor:
            cursor.execute(sql, (*rank_params, *inner_params, *allowed_params))
            return cursor.fetchall()


# How many times SEARCH_RANKED_NEWEST entries a search reads at most to fill its archive
# matches when the newest of them are pages the reader may not see.
_REFILL_MAX = 64
_NO_TIME = timedelta(0)


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
        types = archive_types if _is_archive_type(model) else other_types
        types.append(ContentType.objects.get_for_model(model).pk)
    return archive_types, other_types


def _is_archive_type(model) -> bool:
    return issubclass(model, BasePage) and model.search_newest_first


def _estimated_rows(queryset) -> float:
    """PostgreSQL's own estimate of the rows `queryset` gives (EXPLAIN, nothing executed)."""
    plan = json.loads(queryset.explain(format="json"))
    return float(plan[0]["Plan"]["Plan Rows"])


# What one step of each way costs, in microseconds (benchmarks/scale_100k.py at 100,000
# articles on a 2-core machine; the ratios are what counts): testing an entry of the date walk
# against the words (`ArchiveWalkEntry`: its vector in the row), taking one match of the GIN
# index into the sort (`ArchiveEntry`), and looking up a kept match's vector to rank it.
_WALK_TEST_US = 2
_BITMAP_MATCH_US = 0.45
_VECTOR_LOOKUP_US = 3


def _archive_route(tsquery, limit: int, *, using: str = "default") -> str:
    """How to find the newest `limit` matching entries, by PostgreSQL's estimate of how many
    match (m of n):

    - "walk": along the date index of `ArchiveWalkEntry`, testing each entry (about
      limit × n / m tests: cheap when the words are in many articles: "Anleger", 98 %,
      5.6 ms; "Steuern Kryptowährungen", 30 %, 6 ms);
    - "bitmap": every match from the GIN index of `ArchiveEntry`, the newest kept, their
      vectors looked up to rank them (cheap when the words are in few: "Derivate", 6.5 %,
      7 ms this way, 32 ms walking; "Toncoin", 4.7 %, 6.5 ms).

    The planner cannot choose well itself: on one table it prices the test of a vector as
    nearly free and so walks for words in a few per cent of the articles."""
    entries = ArchiveEntry.objects.using(using)
    matches = _estimated_rows(entries.filter(body=tsquery))
    # The number of entries changes with publishing only: remembered for ten minutes.
    total = remembered(
        f"search:estimated-archive-entries:{using}",
        lambda: _estimated_rows(entries),
        seconds=600,
    )
    return _cheapest_route(matches, total, limit)


def _cheapest_route(matches: float, total: float, limit: int) -> str:
    tested = total if matches < limit else limit * total / matches
    walk = _WALK_TEST_US * tested
    bitmap = _BITMAP_MATCH_US * matches + _VECTOR_LOOKUP_US * min(matches, limit)
    return "walk" if walk < bitmap else "bitmap"


def archive_entries_write(page_ids, *, using: str = "default") -> None:
    """Writes the `ArchiveEntry` and `ArchiveWalkEntry` rows of these archive pages anew from
    their Wagtail index entries: the vector and the date of first publication. A page without
    either (never published, not indexed) has none.

    The entry is found by its own key (content type, id as text): joined on the id cast to an
    integer, PostgreSQL read every index entry for each chunk indexed, or for each article
    published (169 ms at 100,000 articles, now 27 ms for a chunk of 1,000)."""
    page_ids = list(page_ids)
    for model in (ArchiveEntry, ArchiveWalkEntry):
        model.objects.using(using).filter(page_id__in=page_ids).delete()
    entries = f"""
        INSERT INTO {ArchiveEntry._meta.db_table} (page_id, published_at, body)
        SELECT p.id, p.first_published_at, e.body
        FROM {Page._meta.db_table} p
        JOIN {IndexEntry._meta.db_table} e
            ON e.content_type_id = p.content_type_id AND e.object_id = p.id::text
        WHERE p.id = ANY(%s) AND p.first_published_at IS NOT NULL
        """  # noqa: S608 - table names from the models, values as parameters
    copies = f"""
        INSERT INTO {ArchiveWalkEntry._meta.db_table} (page_id, published_at, body)
        SELECT page_id, published_at, body FROM {ArchiveEntry._meta.db_table}
        WHERE page_id = ANY(%s)
        """  # noqa: S608 - table names from the models, values as parameters
    with connections[using].cursor() as cursor:
        cursor.execute(entries, [page_ids])
        cursor.execute(copies, [page_ids])


class PageMemoIndex(postgres.PostgresIndex):
    """Wagtail's PostgreSQL index, which also keeps the `ArchiveEntry` and `ArchiveWalkEntry`
    rows of archive pages (written, replaced and deleted with their index entries)."""

    def add_items(self, model, objs):
        objs = list(objs)
        for obj in objs:
            obj.__dict__[SEARCH_INDEXING_MEMO] = {}
        try:
            super().add_items(model, objs)
        finally:
            for obj in objs:
                obj.__dict__.pop(SEARCH_INDEXING_MEMO, None)
        if _is_archive_type(model) and objs:
            archive_entries_write([obj.pk for obj in objs], using=self.write_connection.alias)

    def delete_item(self, item):
        super().delete_item(item)
        if isinstance(item, Page):
            for model in (ArchiveEntry, ArchiveWalkEntry):
                model.objects.using(self.write_connection.alias).filter(pk=item.pk).delete()

    def reset(self):
        super().reset()
        for model in (ArchiveEntry, ArchiveWalkEntry):
            model.objects.all()._raw_delete(using=self.write_connection.alias)


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
