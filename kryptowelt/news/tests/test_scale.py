"""What keeps large archives fast and complete (figures: benchmarks/scale_100k.py): the
cost of a section page does not grow with its articles, and the sitemap splits into parts
that an index lists once the pages no longer fit one file."""

import re

import defusedxml.ElementTree as ET
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kryptowelt.news.models import SectionPage
from kryptowelt.news.selectors import article_ids
from kryptowelt.news.sitemaps import PageSitemap

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _section_queries(client, url):
    client.get(url)  # caches that every request fills once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_section_page_queries_do_not_grow_with_its_articles(client, article_factory, settings):
    settings.KRYPTOWELT_ARTICLES_PER_PAGE = 3
    for _ in range(4):
        article_factory(section="wissen")
    few = _section_queries(client, "/wissen/?seite=2")
    for _ in range(8):
        article_factory(section="wissen")
    many = _section_queries(client, "/wissen/?seite=2")
    assert len(many) == len(few)
    # The listing and its count read the date-ordered rows directly: no DISTINCT over every
    # column, which made PostgreSQL sort and count a whole section for each page.
    listing = [sql for sql in many if "news_articlepage" in sql and "first_published_at" in sql]
    assert listing
    assert not any("DISTINCT" in sql for sql in listing)


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    grid = response.content.decode().split('class="card-grid"')[1].split('class="pagination')[0]
    return re.findall(r"Archiv (\d+)", grid)


def test_every_page_of_a_section_lists_its_articles_newest_first_exactly_once(
    client, article_factory, settings
):
    """Pages in the back half are read from the other end and turned round
    (core.pagination.ListingPaginator); ties in the date are decided by the id."""
    settings.KRYPTOWELT_ARTICLES_PER_PAGE = 2
    base = timezone.now() - timezone.timedelta(days=30)
    days = [9, 3, 7, 3, 1, 8, 3]  # three share one publication time
    articles = [
        article_factory(
            section="wissen", title=f"Archiv {i}", published_at=base + timezone.timedelta(days=d)
        )
        for i, d in enumerate(days)
    ]
    newest_first = sorted(articles, key=lambda a: (a.first_published_at, a.pk), reverse=True)
    expected = [a.title.removeprefix("Archiv ") for a in newest_first]
    pages = [_listed(client, f"/wissen/?seite={n}") for n in (1, 2, 3, 4)]
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    assert sum(pages, []) == expected
    assert client.get("/wissen/?seite=5").status_code == 404


def test_a_remembered_article_count_follows_publishing(client, article_factory, settings):
    settings.KRYPTOWELT_ARTICLES_PER_PAGE = 2
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 600  # the count is remembered (test: 0)
    for i in range(4):
        article_factory(section="wissen", title=f"Archiv {i}")
    assert client.get("/wissen/?seite=3").status_code == 404
    article_factory(section="wissen", title="Archiv 4")
    assert len(_listed(client, "/wissen/?seite=3")) == 1


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test database holds a few rows: make the planner show whether the index *can*
        # serve the query (the expression must match it exactly), not what is cheapest here.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the listing index is PostgreSQL's (INCLUDE); make test runs this file on PostgreSQL too",
)
def test_section_listing_pages_from_both_ends_read_the_listing_index_only(home, article_factory):
    for _ in range(3):
        article_factory(section="wissen")
    section = SectionPage.objects.get(slug="wissen")
    ids = article_ids(section=section)
    for queryset in (ids[1:3], ids.reverse()[0:2]):
        assert re.search(
            r"Index Only Scan (Backward )?using news_article_listing_idx", _plan(queryset)
        )
    # The menu: the home page's children found by depth and path, not among all descendants.
    assert "kw_page_depth_path_idx" in _plan(home.get_children().live())


def _locations(response):
    root = ET.fromstring(response.content)
    return root.tag, [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]


def test_small_site_has_one_sitemap(client, article_factory):
    article = article_factory()
    kind, locations = _locations(client.get("/sitemap.xml"))
    assert kind == f"{SITEMAP_NS}urlset"
    assert f"http://testserver{article.url}" in locations


def test_large_archive_gets_a_sitemap_index_of_parts(client, article_factory, monkeypatch):
    articles = [article_factory() for _ in range(5)]
    monkeypatch.setattr(PageSitemap, "limit", 4)  # as if 45,000 were 4
    kind, parts = _locations(client.get("/sitemap.xml"))
    assert kind == f"{SITEMAP_NS}sitemapindex"
    assert len(parts) >= 3
    assert parts[0] == "http://testserver/sitemap-seiten.xml"
    assert parts[1] == "http://testserver/sitemap-seiten.xml?p=2"
    seen = []
    for part in parts:
        response = client.get(part.removeprefix("http://testserver"))
        assert response.status_code == 200
        kind, locations = _locations(response)
        assert kind == f"{SITEMAP_NS}urlset"
        seen += locations
    assert len(seen) == len(set(seen))  # every address once
    for article in articles:
        assert f"http://testserver{article.url}" in seen
    assert "http://testserver/neuigkeiten/" in seen
    assert client.get("/sitemap-seiten.xml?p=99").status_code == 404
    assert client.get("/sitemap-news.xml").status_code == 200  # still the news sitemap
