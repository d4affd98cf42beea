"""The home page leads to every pillar, not only to articles: a market box with prices, the
comparisons, calculators, Lexikon and Ratgeber; older articles are compact on phones; an
article without a picture gets Kryptowelt's own one (page, og:image, JSON-LD)."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from kryptowelt.comparisons.factories import provider_make
from kryptowelt.demo.loaders import demo_image
from kryptowelt.glossary.factories import lexicon_index_make, term_make
from kryptowelt.guides.factories import guide_make
from kryptowelt.markets.services.sync import coin_markets_sync
from kryptowelt.markets.tests.fakes import make_client, markets_api

pytestmark = pytest.mark.django_db


def main_of(response) -> str:
    return response.content.decode().split('<main id="inhalt"')[1].split("</main>")[0]


@pytest.fixture
def portal(home, article_factory):
    assert coin_markets_sync(client=make_client(markets_api()), logos=False).ok
    provider_make(name="Musterbörse", slug="musterboerse")
    term_make(index=lexicon_index_make(home=home), title="Blockchain")
    guide_make(home=home)
    image = demo_image(key="home-lead", motif="bitcoin", title="Bild des Aufmachers")
    now = timezone.now()
    for number in range(12):
        article_factory(
            title=f"Älterer Artikel {number}",
            section="tipps",
            hero_image=image,
            published_at=now - dt.timedelta(hours=number + 1),
        )
    return article_factory(title="Aufmacher ohne Bild", section="neuigkeiten", published_at=now)


def test_home_page_leads_to_prices_comparisons_calculators_lexicon_and_guides(client, portal):
    response = client.get("/")
    main = main_of(response)
    # The market box: the best-ranked coins with price and change, and all prices.
    box = main.split('class="market-box"')[1].split("</section>")[0]
    names = re.findall(r'href="/kurse/([a-z-]+)/"', box)
    assert names[:3] == ["bitcoin", "ethereum", "tether"]
    assert "81.234,56\u00a0€" in box and 'class="change change--' in box
    assert 'href="/kurse/">Alle Kurse →</a>' in box
    assert "Stand: " in box
    # Every pillar, in the page's content (not only the menu).
    for url in (
        "/vergleich/",
        "/vergleich/krypto-boersen/",
        "/rechner/",
        "/rechner/sparplan/",
        "/rechner/steuer/",
        "/vergleich/kostenrechner/",
        "/lexikon/",
        "/ratgeber/",
        "/ratgeber/testratgeber/",
    ):
        assert f'href="{url}"' in main, url
    # Prices make the home page a page of the markets scope: shared caches keep it a minute.
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=60"


def test_older_articles_are_compact_list_items_and_pictures_never_missing(client, portal):
    main = main_of(client.get("/"))
    cards = re.findall(r'<article class="card( card--\w+)?">', main)
    full = [card for card in cards if card != " card--minor"]
    # The lead and the two newest in full, every other one a compact list item.
    assert len(cards) >= 11 and full == [" card--lead", "", ""]
    # The lead has no picture of its own: Kryptowelt's drawn one fills the hero.
    lead = main.split('class="card card--lead"')[1].split("</article>")[0]
    assert "Aufmacher ohne Bild" in lead
    assert re.search(r'<img src="/static/img/fallback-article[^"]*\.svg"', lead)
    # Compact items load small renditions on phones.
    minor = main.split('class="card card--minor"')[1].split("</article>")[0]
    assert 'sizes="(max-width: 47.99rem) 6.5rem, 17rem"' in minor and "240w" in minor


def test_article_without_picture_shares_kryptowelts_picture(client, portal):
    html = client.get(portal.url).content.decode()
    head = html.split("</head>")[0]
    image = re.search(r'<meta property="og:image" content="([^"]+)">', head).group(1)
    assert image.startswith("http://testserver/static/img/fallback-article") and image.endswith(
        ".jpg"
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in head
    blocks = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    ]
    news = next(b for b in blocks if b["@type"] == "NewsArticle")
    assert news["image"] == [image]
    assert client.get(image.removeprefix("http://testserver")).status_code == 200
