"""Feeds, sitemaps, robots.txt, canonical/OpenGraph tags and JSON-LD."""

import json
import re

import defusedxml.ElementTree as ET
import feedparser
import pytest
from django.utils import timezone

from kryptowelt.demo.loaders import demo_image

pytestmark = pytest.mark.django_db

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def json_ld_blocks(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in found]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/neuigkeiten/rss/",
        "/feeds/neuigkeiten/atom/",
        "/feeds/thema/bitcoin/rss/",
        "/feeds/thema/bitcoin/atom/",
    ],
)
def test_feeds_parse_without_errors_and_list_articles(client, article_factory, url):
    article = article_factory(title="Bitcoin & Ether: „Zitate“ <im> Titel", tags=["Bitcoin"])
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.get("language", "de").startswith("de")
    assert [entry.title for entry in feed.entries] == [article.title]
    assert feed.entries[0].link.endswith(article.url)


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_feed_entries_carry_a_picture(client, article_factory, url):
    image = demo_image(key="feed", motif="bitcoin", title="Bild im Feed")  # drawn, synthetic
    with_picture = article_factory(title="Mit Bild", hero_image=image)
    article_factory(title="Ohne Bild")
    feed = feedparser.parse(client.get(url).content)
    enclosures = {entry.title: entry.enclosures for entry in feed.entries}
    own = enclosures[with_picture.title][0]
    assert own.href.startswith("http://testserver/media/") and own.type == "image/jpeg"
    assert int(own.length) > 0
    fallback = enclosures["Ohne Bild"][0]
    assert fallback.href.startswith("http://testserver/static/img/fallback-article")
    assert int(fallback.length) > 1000
    assert client.get(fallback.href.removeprefix("http://testserver")).status_code == 200


def test_unknown_feed_is_404(client, home):
    assert client.get("/feeds/sport/rss/").status_code == 404
    assert client.get("/feeds/thema/unbekannt/rss/").status_code == 404


def test_every_page_links_feeds_in_head(client, article_factory):
    article = article_factory(tags=["Bitcoin"])
    for url in ("/", "/neuigkeiten/", article.url, "/thema/bitcoin/", "/suche/?q=x"):
        head = client.get(url).content.decode().split("</head>")[0]
        assert 'rel="alternate" type="application/rss+xml"' in head, url
        assert 'type="application/atom+xml"' in head, url
    section_head = client.get("/neuigkeiten/").content.decode().split("</head>")[0]
    assert 'href="/feeds/neuigkeiten/rss/"' in section_head


def test_sitemap_is_valid_xml_with_pages_tags_and_authors(client, article_factory):
    article = article_factory(tags=["Bitcoin"], author="Jonas Weber")
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]
    assert any(loc.endswith(article.url) for loc in locations)
    assert any(loc.endswith("/thema/bitcoin/") for loc in locations)
    assert any(loc.endswith("/autor/jonas-weber/") for loc in locations)
    assert any(loc.endswith("/neuigkeiten/") for loc in locations)


def test_news_sitemap_lists_only_the_last_48_hours(client, article_factory):
    fresh = article_factory(
        title="Frisch & neu", published_at=timezone.now() - timezone.timedelta(hours=3)
    )
    old = article_factory(title="Alt", published_at=timezone.now() - timezone.timedelta(hours=60))
    root = ET.fromstring(client.get("/sitemap-news.xml").content)
    urls = root.findall(f"{SITEMAP_NS}url")
    assert len(urls) == 1
    url = urls[0]
    assert url.find(f"{SITEMAP_NS}loc").text.endswith(fresh.url)
    news = url.find(f"{NEWS_NS}news")
    publication = news.find(f"{NEWS_NS}publication")
    assert publication.find(f"{NEWS_NS}name").text == "Kryptowelt"
    assert publication.find(f"{NEWS_NS}language").text == "de"
    assert news.find(f"{NEWS_NS}title").text == "Frisch & neu"
    assert news.find(f"{NEWS_NS}publication_date").text.startswith(
        timezone.localtime(fresh.first_published_at).strftime("%Y-%m-%dT%H:%M")
    )
    assert old.title not in client.get("/sitemap-news.xml").content.decode()


def test_robots_txt_names_both_sitemaps(client, home):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text


def test_article_has_canonical_opengraph_and_twitter_tags(client, article_factory):
    article = article_factory(title="Kanonisch", teaser="Vorspann für Suchmaschinen.")
    head = client.get(article.url).content.decode().split("</head>")[0]
    assert f'<link rel="canonical" href="http://testserver{article.url}">' in head
    assert '<meta property="og:type" content="article">' in head
    assert '<meta property="og:title" content="Kanonisch">' in head
    assert '<meta property="og:description" content="Vorspann für Suchmaschinen.">' in head
    assert '<meta name="twitter:card"' in head
    assert '<html lang="de">' in client.get(article.url).content.decode()


def test_article_json_ld_news_article_and_breadcrumbs(client, article_factory):
    from kryptowelt.demo.loaders import demo_image

    image = demo_image(key="jsonld", motif="bitcoin", title="Bild für JSON-LD")
    article = article_factory(title="Strukturierte Daten", author="Lena Hoffmann", hero_image=image)
    blocks = json_ld_blocks(client.get(article.url).content.decode())
    news = next(b for b in blocks if b["@type"] == "NewsArticle")
    assert news["headline"] == "Strukturierte Daten"
    assert news["image"][0].startswith("http://testserver/media/")
    assert news["datePublished"].startswith(article.first_published_at.isoformat()[:16])
    assert news["dateModified"]
    assert news["author"] == [
        {
            "@type": "Person",
            "name": "Lena Hoffmann",
            "url": "http://testserver/autor/lena-hoffmann/",
        }
    ]
    assert news["publisher"]["name"] == "Kryptowelt"
    assert news["publisher"]["logo"]["url"].endswith(".png")
    crumbs = next(b for b in blocks if b["@type"] == "BreadcrumbList")
    names = [item["name"] for item in crumbs["itemListElement"]]
    assert names == ["Startseite", "Neuigkeiten", "Strukturierte Daten"]
    head = client.get(article.url).content.decode().split("</head>")[0]
    assert '<meta property="og:image" content="http://testserver/media/' in head


def test_json_ld_cannot_be_broken_out_of_by_titles(client, article_factory):
    article = article_factory(title="</script><script>alert(1)</script>")
    html = client.get(article.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert any(b["@type"] == "NewsArticle" for b in json_ld_blocks(html))
