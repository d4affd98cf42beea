"""The search backend (kryptowelt/search/backend.py): on PostgreSQL page searches match the
indexed body alone, which its GIN index answers, and find the same pages; elsewhere it is
Wagtail's database backend unchanged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

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
        # `title || body @@ …` can use no index; `body @@ …` the GIN index on body.
        assert '"wagtailsearch_indexentry"."body" @@' in sql
        assert "||" not in sql.split("@@")[0].rsplit("WHERE", 1)[-1]
