"""What keeps large archives fast and complete (figures: benchmarks/scale_100k.py): the
cost of a section page does not grow with its articles, and the sitemap splits into parts
that an index lists once the pages no longer fit one file."""

import defusedxml.ElementTree as ET
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
