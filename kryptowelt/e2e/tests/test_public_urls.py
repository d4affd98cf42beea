"""Every kind of public URL the portal serves answers 200.

The list was taken from a crawl of the demo site before the pillar pages (/kurse/,
/vergleich/, /rechner/, /thema/, /autor/) moved into the Wagtail page tree; it must keep
answering exactly as before. One URL of every family is built here from small fixtures."""

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/neuigkeiten/",
    "/trends/",
    "/tipps/",
    "/wissen/",
    "/impressum/",
    "/datenschutz/",
    "/thema/bitcoin/",
    "/autor/erika-musterfrau/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/neuigkeiten/rss/",
    "/feeds/neuigkeiten/atom/",
    "/feeds/thema/bitcoin/rss/",
    "/feeds/thema/bitcoin/atom/",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/robots.txt",
    "/suche/?q=bitcoin",
    "/kurse/",
    "/kurse/?sortierung=name&richtung=auf",
    "/kurse/bitcoin/",
    "/vergleich/",
    "/vergleich/krypto-boersen/",
    "/vergleich/anbieter/musterboerse/",
    "/vergleich/kostenrechner/",
    "/vergleich/methodik/",
    "/vergleich/gegenueberstellung/?anbieter=musterboerse,zweitboerse",
    "/rechner/",
    "/rechner/sparplan/",
    "/rechner/gewinn/",
    "/rechner/gewinn/?kaufkurs=40000&verkaufskurs=50000&menge=0,5",
    "/rechner/steuer/",
    "/rechner/steuer/beispiel.csv",
    "/lexikon/",
    "/lexikon/blockchain/",
    "/ratgeber/",
    "/ratgeber/testratgeber/",
    "/ratgeber/testratgeber/erstes-kapitel/",
]


def test_every_public_url_family_answers(client, whole_site):
    failures = []
    for url in [*PUBLIC_URLS, whole_site.url]:
        response = client.get(url)
        if response.status_code != 200:
            failures.append((url, response.status_code))
    assert failures == []


def test_the_sitemap_lists_every_pillar_with_its_sub_pages(client, whole_site):
    sitemap = client.get("/sitemap.xml").content.decode()
    for path in (
        "/",
        "/neuigkeiten/",
        whole_site.url,
        "/kurse/",
        "/kurse/bitcoin/",
        "/vergleich/",
        "/vergleich/krypto-boersen/",
        "/vergleich/methodik/",
        "/vergleich/anbieter/musterboerse/",
        "/rechner/",
        "/rechner/sparplan/",
        "/rechner/steuer/",
        "/thema/bitcoin/",
        "/autor/erika-musterfrau/",
        "/lexikon/blockchain/",
        "/ratgeber/testratgeber/erstes-kapitel/",
    ):
        assert f"<loc>http://testserver{path}</loc>" in sitemap, path
    assert "/rechner/gewinn/?" not in sitemap  # results are not pages of their own
