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
other page type (Lexikon, guides, coins) is ranked in full.

While it indexes, a page remembers its computed search text (`SEARCH_INDEXING_MEMO`): Wagtail
reads each search field once per index column, five times in all, and stemming an article's
text was most of the time of indexing one (benchmarks/scale_100k.py)."""

import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Exists, F, IntegerField, OuterRef
from django.db.models.functions import Cast
from modelsearch.backends.database import SearchBackend as database_search_backend
from modelsearch.backends.database.postgres import postgres
from wagtail.models import Page, get_page_models
from wagtail.search.models import IndexEntry
from wagtail.search.query import Fuzzy, MatchAll, Not

from kryptowelt.core.models import SEARCH_INDEXING_MEMO, BasePage


class PageBodyQueryCompiler(postgres.PostgresSearchQueryCompiler):
    def get_index_vectors(self, search_query):
        if issubclass(self.queryset.model, Page):
            return [(F("index_entries__body"), 1.0)]
        return super().get_index_vectors(search_query)

    def search(self, config, start, stop, score_field=None, backend=None):
        if not issubclass(self.queryset.model, Page) or isinstance(
            self.query, MatchAll | Not | Fuzzy
        ):
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        tsquery = self.build_tsquery(self.query, config=config)
        # Every page left matches: rank them without matching again (PostgreSQL tests
        # `@@` before the key and so read every vector the words match).
        self.queryset = self._newest_of_archives(tsquery)
        rank = self._build_rank_expression(self.get_search_vectors(tsquery), config)
        return self._apply_ordering_and_scoring(self.queryset, rank, start, stop, score_field)

    def _newest_of_archives(self, tsquery):
        """The pages to rank: every match of the small page types, and of the archive types
        (`BasePage.search_newest_first`: articles) only the newest SEARCH_RANKED_NEWEST.
        ts_rank reads each match's whole vector: for a word in nearly every article that
        was the time of a search, growing with the archive (10,000 articles: 0.27 s of SQL
        for "Anleger", a sequential scan of the index). The newest matches are found walking
        the date index, or for rarer words through the GIN index, whichever the planner
        finds cheaper."""
        archive_types, other_types = [], []
        for model in get_page_models():
            newest_first = issubclass(model, BasePage) and model.search_newest_first
            types = archive_types if newest_first else other_types
            types.append(ContentType.objects.get_for_model(model).pk)
        if not archive_types:
            return self.queryset
        entries = IndexEntry.objects.filter(
            content_type_id=OuterRef("content_type_id"),
            object_id=Cast(OuterRef("pk"), output_field=CharField(max_length=50)),
            body=tsquery,
        )
        matching = self.queryset.filter(Exists(entries))
        archive_matching = matching
        newest_limit = settings.KRYPTOWELT_SEARCH_RANKED_NEWEST
        archive_entries = IndexEntry.objects.filter(content_type_id__in=archive_types)
        if not _walking_dates_is_cheaper(archive_entries, tsquery, newest_limit):
            # Matched through the GIN index first, then the newest of them: the LIMIT keeps
            # PostgreSQL from folding the subquery into a walk along the date index.
            ids = (
                archive_entries.filter(body=tsquery)
                .annotate(page_id=Cast("object_id", output_field=IntegerField()))
                .values("page_id")[:_NO_LIMIT]
            )
            archive_matching = self.queryset.filter(pk__in=ids)
        newest = list(
            archive_matching.filter(content_type_id__in=archive_types)
            .order_by("-first_published_at", "-pk")
            .values_list("pk", "content_type_id")[: settings.KRYPTOWELT_SEARCH_RANKED_NEWEST]
        )
        # The other types by name, not as "not an archive type": a negative condition no index
        # answers, so PostgreSQL read the whole page table (25 ms at 100,000 articles).
        others = list(
            matching.filter(content_type_id__in=other_types).values_list("pk", "content_type_id")
        )
        found = newest + others
        return self.queryset.filter(
            pk__in=[pk for pk, _ in found], index_entries__pk__in=_entry_keys(found)
        )


# A LIMIT no archive reaches: it only makes the subquery one PostgreSQL evaluates on its own.
_NO_LIMIT = 2**31 - 1


def _estimated_rows(queryset) -> float:
    """PostgreSQL's own estimate of the rows `queryset` gives (EXPLAIN, nothing executed)."""
    plan = json.loads(queryset.explain(format="json"))
    return float(plan[0]["Plan"]["Plan Rows"])


def _walking_dates_is_cheaper(entries, tsquery, limit: int) -> bool:
    """Whether to find the newest `limit` matches by walking the articles newest first and
    testing each (cheap when the words are in most articles: "Anleger", 98 %), or by taking
    every match from the GIN index and sorting those by date (cheap when they are in few).

    The planner chose the walk for words in a few per cent of the articles too ("Derivate",
    6 %: 26,000 articles tested, 240 ms at 100,000; from the GIN index 20 ms), since it prices
    each test as nearly free. Here the choice follows its estimate of how many entries match:
    a walk tests about limit × total / matches articles (about 9 µs each, measured), the
    index way reads each match once (about 1 µs), so the walk wins when
    matches² > 9 × limit × total."""
    matches = _estimated_rows(entries.filter(body=tsquery))
    total = _estimated_rows(entries)
    return matches * matches > 9 * limit * total


def _entry_keys(pages: list[tuple[int, int]]) -> list[int]:
    """The index entries of (page id, content type id) pairs, by primary key: the ranking
    query reads them by key. Given page ids only, PostgreSQL read every entry of the index
    table to find them (a sequential scan, 22 ms at 100,000 articles); asked one content
    type at a time, it reads them off the (content type, object id) index."""
    by_type: dict[int, list[str]] = {}
    for pk, content_type_id in pages:
        by_type.setdefault(content_type_id, []).append(str(pk))
    keys: list[int] = []
    for content_type_id, object_ids in by_type.items():
        keys += IndexEntry.objects.filter(
            content_type_id=content_type_id, object_id__in=object_ids
        ).values_list("pk", flat=True)
    return keys


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


class PostgresPageSearchBackend(postgres.PostgresSearchBackend):
    query_compiler_class = PageBodyQueryCompiler
    index_class = PageMemoIndex


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    if connection.vendor == "postgresql":
        return PostgresPageSearchBackend(params)
    return database_search_backend(params)
