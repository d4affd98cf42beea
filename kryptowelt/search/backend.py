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

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Exists, F, OuterRef
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
        archive_types = [
            ContentType.objects.get_for_model(model).pk
            for model in get_page_models()
            if issubclass(model, BasePage) and model.search_newest_first
        ]
        if not archive_types:
            return self.queryset
        entries = IndexEntry.objects.filter(
            content_type_id=OuterRef("content_type_id"),
            object_id=Cast(OuterRef("pk"), output_field=CharField(max_length=50)),
            body=tsquery,
        )
        matching = self.queryset.filter(Exists(entries))
        newest = list(
            matching.filter(content_type_id__in=archive_types)
            .order_by("-first_published_at", "-pk")
            .values_list("pk", flat=True)[: settings.KRYPTOWELT_SEARCH_RANKED_NEWEST]
        )
        others = list(
            matching.exclude(content_type_id__in=archive_types).values_list("pk", flat=True)
        )
        ids = newest + others
        # The entries too, by key: else the planner reads every entry the words match.
        return self.queryset.filter(
            pk__in=ids, index_entries__object_id__in=[str(pk) for pk in ids]
        )


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
