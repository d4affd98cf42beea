"""What every reader gets: German error pages, no cookies, nothing from other hosts."""

import re

import pytest
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_404_page_is_german_and_offers_search(client, home):
    response = client.get("/das-gibt-es-nicht/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Seite nicht gefunden" in html and 'action="/suche/"' in html


def test_500_page_is_german_and_needs_no_database():
    from kryptowelt.core.errors import server_error

    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Da ist etwas schiefgegangen" in html
    assert "Traceback" not in html


def test_readers_get_no_cookies(client, article_factory):
    article = article_factory()
    for url in ("/", "/neuigkeiten/", article.url, "/suche/?q=Bitcoin", "/thema/bitcoin/"):
        response = client.get(url)
        assert not response.cookies, (url, response.cookies)


def test_pages_request_nothing_from_other_hosts(client, article_factory):
    article = article_factory()
    for url in ("/", "/neuigkeiten/", article.url, "/suche/?q=Bitcoin"):
        html = client.get(url).content.decode()
        sources = re.findall(
            r"<(?:script|img|iframe|source)\b[^>]*?\b(?:src|srcset)=\"([^\"]*)\"", html
        )
        stylesheets = re.findall(
            r"<link\b[^>]*rel=\"(?:stylesheet|icon|preload)\"[^>]*href=\"([^\"]*)\"", html
        )
        for value in sources + stylesheets:
            for candidate in value.split(","):
                target = candidate.strip().split(" ")[0]
                assert not target.startswith(("http://", "https://", "//")) or target.startswith(
                    "http://testserver/"
                ), (url, target)


def test_dates_and_numbers_are_german_in_templates(client, article_factory):
    from django.utils import timezone

    article = article_factory(published_at=timezone.make_aware(timezone.datetime(2026, 3, 5, 9, 0)))
    html = client.get("/neuigkeiten/").content.decode()
    assert "5. März 2026" in html
    assert article.title in html
