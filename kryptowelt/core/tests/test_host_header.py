"""A client's Host header never reaches what other readers get (issue 13, finding 1).

Absolute URLs come from SITE_URL (core/site_urls.py); the page and fragment caches key on
the validated host name, never on a port or scheme the client chose."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
FORGED_HOST = "testserver:6666"
URL = re.compile(r"https?://[^\s\"'<>]+")


def own_urls(body: str) -> list[str]:
    """Every absolute URL in `body` that points at the portal (not schema.org & co.)."""
    return [url for url in URL.findall(body) if "testserver" in url or "6666" in url]


@pytest.fixture
def caches_on(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 600


def test_a_forged_port_never_reaches_links_or_the_next_reader(caches_on, article_factory):
    article = article_factory(title="Bitcoin fällt", tags=["Bitcoin"])
    paths = [
        "/",
        article.url,
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/neuigkeiten/rss/",
        "/feeds/thema/bitcoin/atom/",
    ]
    forged = Client(HTTP_HOST=FORGED_HOST, HTTP_X_FORWARDED_PROTO="https")
    reader = Client()
    for path in paths:
        answer = forged.get(path)
        assert answer.status_code == 200, path
        for client in (forged, reader):  # the forger first, so its copy is what caches hold
            body = client.get(path).content.decode()
            urls = own_urls(body)
            assert urls, path
            assert all(url.startswith(SITE + "/") for url in urls), (path, urls)
    # The reader got the page from the cache the forged request filled.
    assert reader.get(article.url)["X-App-Cache"] == "HIT"
    html = reader.get(article.url).content.decode()
    assert f'<link rel="canonical" href="{SITE}{article.url}">' in html
    assert f'<meta property="og:url" content="{SITE}{article.url}">' in html


def test_a_host_not_allowed_gets_the_german_400_page(caches_on, home):
    answer = Client(HTTP_HOST="evil.example").get("/")
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Ungültige Anfrage" in html
    assert 'lang="de"' in html
    assert "evil.example" not in html
