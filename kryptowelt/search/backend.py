"""The search backend: Wagtail's database backend, and on PostgreSQL one whose page
searches the full-text index (GIN) can answer.

Wagtail's PostgreSQL backend matches `title || body` of each index entry. PostgreSQL cannot
use an index for that concatenation, so every search read and ranked every entry: with
100,000 articles about a second and a half per query (benchmarks/scale_100k.py). Pages
index no title vector of their own (`BasePage.get_search_fields` leaves the title out and
indexes its stems in the body, `search_stems`), so for pages the body alone gives the same
matches and ranks, and `body @@ query` uses the GIN index on `body`. Other models (images,
documents in the admin) keep Wagtail's behaviour."""

from django.db import connection
from django.db.models import F
from modelsearch.backends.database import SearchBackend as database_search_backend
from modelsearch.backends.database.postgres import postgres
from wagtail.models import Page


class PageBodyQueryCompiler(postgres.PostgresSearchQueryCompiler):
    def get_index_vectors(self, search_query):
        if issubclass(self.queryset.model, Page):
            return [(F("index_entries__body"), 1.0)]
        return super().get_index_vectors(search_query)


class PostgresPageSearchBackend(postgres.PostgresSearchBackend):
    query_compiler_class = PageBodyQueryCompiler


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    if connection.vendor == "postgresql":
        return PostgresPageSearchBackend(params)
    return database_search_backend(params)
