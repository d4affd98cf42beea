import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_home_shows_site_name_tagline_lead_and_sections(client, article_factory):
    lead = article_factory(
        section="trends", title="Bitcoin-Dominanz steigt", published_at=timezone.now()
    )
    older = article_factory(
        section="tipps",
        title="Seed-Phrase richtig sichern",
        published_at=timezone.now() - timezone.timedelta(days=3),
    )
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Die Welt der Kryptowährungen: Trends, Tipps und Neuigkeiten" in html
    assert "Vergleiche. Verstehe. Gewinne." in html
    lead_section = html.split('class="home-lead"')[1].split("</section>")[0]
    assert lead.title in lead_section
    assert older.title in html
    for section in ("Neuigkeiten", "Trends", "Tipps", "Wissen"):
        assert f">{section}</a>" in html


def test_section_page_lists_only_its_articles_paginated(client, article_factory, settings):
    settings.KRYPTOWELT_ARTICLES_PER_PAGE = 2
    own = [article_factory(section="wissen", title=f"Wissen {i}") for i in range(3)]
    other = article_factory(section="tipps", title="Ein Tipp für später")
    first = client.get("/wissen/")
    second = client.get("/wissen/?seite=2")
    assert first.status_code == second.status_code == 200
    assert own[0].title in first.content.decode()
    assert own[2].title in second.content.decode()
    assert other.title not in first.content.decode() + second.content.decode()
    assert 'rel="next"' in first.content.decode()


def test_main_navigation_marks_the_section_being_read(client, article_factory):
    article = article_factory(section="wissen", title="Was ist eine Blockchain?")

    def current(path, kind="page"):
        nav = client.get(path).content.decode().split('class="site-nav"')[1].split("</nav>")[0]
        return re.findall(rf'aria-current="{kind}">([^<]+)</a>', nav)

    assert current("/wissen/") == ["Wissen"]
    assert current("/wissen/?seite=1") == ["Wissen"]
    assert current("/tipps/") == ["Tipps"]
    # On an article its section is marked as the place the reader is in, not as the page.
    assert current(article.url) == []
    assert current(article.url, "true") == ["Wissen"]
    assert current("/kurse/", "page") == ["Kurse"]
    assert current("/rechner/gewinn/", "true") == ["Rechner"]


@pytest.mark.parametrize("page", ["99", "abc", "-1", "0"])
def test_section_page_out_of_range_is_404_not_500(client, home, page):
    response = client.get(f"/wissen/?seite={page}")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_article_page_shows_headline_lead_headings_byline_and_german_date(client, article_factory):
    published = timezone.make_aware(timezone.datetime(2026, 11, 24, 14, 5))
    article = article_factory(
        title="Elon Musk bietet 97,4 Milliarden US-Dollar für OpenAI",
        teaser="Ein spektakulärer Schachzug.",
        body="## Hintergrund des Angebots\n\nText.\n\n## Die Reaktion von OpenAI\n\nMehr Text.",
        author="Sophie Krüger",
        published_at=published,
    )
    response = client.get(article.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and article.title in html
    assert "Ein spektakulärer Schachzug." in html
    assert re.search(r"<h2[^>]*>Hintergrund des Angebots</h2>", html)
    assert re.search(r"<h2[^>]*>Die Reaktion von OpenAI</h2>", html)
    assert "24. November 2026, 14:05 Uhr" in html
    assert 'href="/autor/sophie-krueger/"' in html
    assert "Min. Lesezeit" in html


def test_article_with_tip_box_shows_no_investment_advice_note(client, article_factory):
    with_tip = article_factory(
        section="neuigkeiten", body=":::tipp Testbetrag\nErst klein testen.\n:::"
    )
    without_tip = article_factory(section="neuigkeiten", body="Nur Nachrichten.")
    in_tips_section = article_factory(section="tipps", body="Allgemeiner Ratgeber.")
    assert "Keine Anlageberatung" in client.get(with_tip.url).content.decode()
    assert "Keine Anlageberatung." not in client.get(without_tip.url).content.decode()
    assert "Keine Anlageberatung" in client.get(in_tips_section.url).content.decode()


def test_article_reading_time_is_computed_from_words(article_factory):
    long = article_factory(body=" ".join(["Wort"] * 1000))
    short = article_factory(body="Kurz.")
    assert long.reading_time == 6  # 1000 words + teaser at 200 words per minute
    assert short.reading_time == 1


def test_tag_page_lists_tagged_articles_with_feed_links(client, article_factory):
    tagged = article_factory(tags=["Börsen"], title="Börsen im Vergleich")
    untagged = article_factory(tags=["Steuern"], title="Steuern sparen")
    response = client.get("/thema/boersen/")
    html = response.content.decode()
    assert response.status_code == 200
    assert tagged.title in html and untagged.title not in html
    assert 'href="/feeds/thema/boersen/rss/"' in html
    assert client.get("/thema/gibt-es-nicht/").status_code == 404


def test_author_page_lists_their_articles(client, article_factory):
    mine = article_factory(author="Jonas Weber", title="Marktbericht")
    theirs = article_factory(author="Aylin Demir", title="Wallet-Ratgeber")
    html = client.get("/autor/jonas-weber/").content.decode()
    assert "Jonas Weber" in html and mine.title in html and theirs.title not in html
    assert client.get("/autor/niemand/").status_code == 404


def test_unpublished_article_is_not_listed_or_served(client, article_factory):
    article = article_factory(title="Bald nicht mehr da")
    article.unpublish()
    assert client.get(article.url or "/neuigkeiten/bald-nicht-mehr-da/").status_code == 404
    assert "Bald nicht mehr da" not in client.get("/neuigkeiten/").content.decode()


def test_legal_pages_are_linked_from_every_page(client, article_factory):
    article = article_factory()
    for url in ("/", "/neuigkeiten/", article.url, "/suche/?q=bitcoin", "/gibts-nicht/"):
        html = client.get(url).content.decode()
        assert 'href="/impressum/"' in html, url
        assert 'href="/datenschutz/"' in html, url


def test_standard_page_renders(client, home):
    response = client.get("/impressum/")
    assert response.status_code == 200
    assert "Text Impressum" in response.content.decode()


def test_a_section_page_loads_only_its_first_picture_at_once(client, article_factory):
    """The first card's picture is the page's largest paint on a phone: lazy loading it
    delayed it (Lighthouse: lcp-lazy-loaded); the pictures further down stay lazy."""
    for number in range(3):
        article_factory(section="wissen", title=f"Wissen {number}")
    html = client.get("/wissen/").content.decode()
    pictures = re.findall(r'<a class="card__media"[^>]*>\s*(<img[^>]*>)', html)
    assert len(pictures) == 3
    assert 'fetchpriority="high"' in pictures[0] and 'loading="lazy"' not in pictures[0]
    assert all('loading="lazy"' in picture for picture in pictures[1:])
