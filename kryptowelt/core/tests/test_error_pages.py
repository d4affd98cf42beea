"""Every error page a reader can meet from the app is German, in the site's look, and the 500
page tells the truth: unhandled errors are logged, and mailed to ADMINS when there are any
(issue 13, finding 9)."""

import logging
import logging.config

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from kryptowelt.core.errors import ERRORS, error_page_html
from kryptowelt.settings import base

pytestmark = pytest.mark.django_db


def assert_site_error_page(answer, status: int, title: str) -> str:
    html = answer.content.decode()
    assert answer.status_code == status
    assert f"<h1>{title}</h1>" in html
    assert '<html lang="de">' in html
    assert 'class="site-header"' in html and "Vergleiche. Verstehe. Gewinne." in html
    assert answer["Cache-Control"] == "private, no-store"
    return html


def test_a_failed_csrf_check_gets_the_german_form_page(home):
    answer = Client(enforce_csrf_checks=True).post("/suche/", {"q": "Bitcoin"})
    html = assert_site_error_page(answer, 403, "Formular abgelaufen")
    assert "laden Sie die Seite neu" in html
    assert "CSRF" not in html


def test_a_too_large_request_body_gets_the_german_413_page(home, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32  # the CSRF check then reads the body
    answer = client.post("/suche/", {"q": "x" * 5000})
    assert_site_error_page(answer, 413, "Zu viele Daten gesendet")


def test_a_forbidden_request_gets_the_german_403_page(home, monkeypatch):
    def refuse():
        raise PermissionDenied

    monkeypatch.setattr("kryptowelt.core.views.site_root", refuse)
    assert_site_error_page(Client().get("/robots.txt"), 403, "Zugriff verweigert")


@pytest.fixture
def production_logging(settings):
    """The logging configuration of every environment but the tests' (settings/operations.py)."""
    settings.ADMINS = [("", "technik@kryptowelt.example")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    logging.config.dictConfig(base.LOGGING)
    yield
    logging.config.dictConfig(django_settings.LOGGING)


def test_an_unhandled_error_is_logged_mailed_and_the_page_says_only_that(
    home, monkeypatch, production_logging, caplog
):
    def fail():
        raise RuntimeError("Datenbank weg")

    monkeypatch.setattr("kryptowelt.core.views.site_root", fail)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        answer = Client(raise_request_exception=False).get("/robots.txt")
    html = assert_site_error_page(answer, 500, "Da ist etwas schiefgegangen")
    assert "automatisch für unser Technik-Team protokolliert" in html
    assert "benachrichtigt" not in html
    assert "Datenbank weg" not in html
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info[0] is RuntimeError
    [message] = mail.outbox
    assert message.to == ["technik@kryptowelt.example"]
    assert "/robots.txt" in message.subject
    assert "Datenbank weg" in message.body


def test_without_admins_nothing_is_mailed(home, monkeypatch, production_logging, settings):
    settings.ADMINS = []
    monkeypatch.setattr("kryptowelt.core.views.site_root", lambda: 1 / 0)
    assert Client(raise_request_exception=False).get("/robots.txt").status_code == 500
    assert mail.outbox == []


def test_every_static_error_page_is_german_self_contained_and_styled():
    for status, text in ERRORS.items():
        html = error_page_html(status, inline_css="body{color:red}", logo_src="data:x")
        assert f"<h1>{text.title}</h1>" in html, status
        assert "<style>body{color:red}</style>" in html
        assert "/static/" not in html, status  # nginx serves it when the app is down
        assert f"Fehlercode {status}" in html


def test_media_files_from_the_app_are_never_sniffed(client, settings, tmp_path):
    (settings.MEDIA_ROOT / "probe.txt").write_text("<script>alert(1)</script>")
    answer = client.get("/media/probe.txt")
    assert answer.status_code == 200
    assert answer["X-Content-Type-Options"] == "nosniff"
