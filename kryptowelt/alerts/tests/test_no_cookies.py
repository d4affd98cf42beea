"""No public page sets a cookie (issue 17): home, an article, /kurse/, a coin page with the
alert form, the form's answer, the confirmation and the manage pages."""

import pytest
from django.core import mail

from kryptowelt.alerts.tests.conftest import links

pytestmark = pytest.mark.django_db


def _no_cookie(response):
    assert response.status_code in (200, 400), response.status_code
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


def test_no_public_page_sets_a_cookie(client, synced, article_factory):
    article = article_factory(section="neuigkeiten")
    for path in ("/", article.url, "/kurse/", "/kurse/bitcoin/", "/kursalarm/"):
        _no_cookie(client.get(path))
    data = {"coin": "bitcoin", "art": "unter", "schwelle": "70.000,00", "adresse": "c@example.org"}
    _no_cookie(client.post("/kursalarm/neu/", {**data, "schwelle": "-1"}))
    answer = client.post("/kursalarm/neu/", data)
    _no_cookie(answer)
    assert answer["Cache-Control"] == "private, no-store"
    asked = client.get(links(mail.outbox[0])[0])
    _no_cookie(asked)
    assert asked["Cache-Control"] == "private, no-store"
    confirmed = client.post(links(mail.outbox[0])[0])
    _no_cookie(confirmed)
    assert confirmed["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex, nofollow">' in confirmed.content.decode()
    manage = confirmed.content.decode().split('<form method="post" action="')[1].split('"')[0]
    _no_cookie(client.get(manage))
    _no_cookie(client.post(manage, {"aktion": "reaktivieren"}))
    assert client.cookies == {} or not list(client.cookies)
