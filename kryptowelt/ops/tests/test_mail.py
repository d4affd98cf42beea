"""Mail as editors and operators get it, sent through a real SMTP server on loopback
(the `smtp_server` fixture): the admin's password reset, review notices, error mails."""

import re
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from kryptowelt.news.models import ArticlePage, Author
from kryptowelt.news.tests.test_admin import add_url, article_form
from kryptowelt.settings.ops import admin_addresses, email_settings, mail_address

pytestmark = pytest.mark.django_db


def _parts(message):
    """(plain text, HTML) of a received message, decoded."""
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )


def _assert_proper_headers(message, *, sender):
    assert message["From"] == sender
    assert message["Date"] and message["Message-ID"].startswith("<")
    assert message.get_content_type() == "multipart/alternative"
    for part in message.iter_parts():
        assert part.get_content_charset() == "utf-8", part["Content-Type"]


# --- EMAIL_URL and addresses ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://kw%40example.de:p%40ss@mail.example.de",
            {
                "EMAIL_HOST": "mail.example.de",
                "EMAIL_PORT": 587,
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
                "EMAIL_HOST_USER": "kw@example.de",
                "EMAIL_HOST_PASSWORD": "p@ss",
            },
        ),
        (
            "smtp+ssl://u:p@mail.example.de:2465",
            {"EMAIL_PORT": 2465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False},
        ),
        ("smtp://127.0.0.1", {"EMAIL_PORT": 25, "EMAIL_HOST_USER": "", "EMAIL_USE_TLS": False}),
        ("consolemail://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("filemail:///var/mail/kw", {"EMAIL_FILE_PATH": "/var/mail/kw"}),
        ("memorymail://", {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
    ],
)
def test_email_url_schemes(url, expected):
    config = email_settings(url)
    assert expected.items() <= config.items(), config


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("smtps://mail.example.de", "mehrdeutig"),
        ("imap://mail.example.de", "unbekanntes Schema „imap“"),
        ("smtp+tls://", "der Mailserver fehlt"),
        ("smtp://mail.example.de:port", "keine gültige Adresse"),
        ("filemail://", "braucht einen Ordner"),
        ("mail.example.de", "unbekanntes Schema"),
    ],
)
def test_a_malformed_email_url_is_refused_in_german(url, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        email_settings(url)


def test_admins_and_senders_accept_names():
    assert admin_addresses('ops@example.de, "Admin, Anna" <anna@example.de>') == [
        ("", "ops@example.de"),
        ("Admin, Anna", "anna@example.de"),
    ]
    assert admin_addresses("") == []
    assert mail_address("SERVER_EMAIL", "Kryptowelt <x@example.de>") == "Kryptowelt <x@example.de>"
    with pytest.raises(ImproperlyConfigured, match="ADMINS: keine E-Mail-Adresse: ops"):
        admin_addresses("ops, anna@example.de")
    with pytest.raises(ImproperlyConfigured, match="DEFAULT_FROM_EMAIL"):
        mail_address("DEFAULT_FROM_EMAIL", "redaktion")


def test_production_settings_stop_on_a_malformed_email_url(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "kryptowelt.settings.production",
        "KRYPTOWELT_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "www.kryptowelt.example",
        "SITE_URL": "https://www.kryptowelt.example",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "CACHE_URL": "locmemcache://",
        "EMAIL_URL": "smtp+tls://benutzer:s3cr3t@",
    }
    code = "import django; django.setup()"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "EMAIL_URL: der Mailserver fehlt" in result.stderr
    assert "s3cr3t" not in result.stderr


# --- password reset through the admin --------------------------------------------------------
def test_password_reset_mail_arrives_and_its_link_sets_a_new_password(
    client, smtp_server, django_user_model, settings
):
    settings.DEFAULT_FROM_EMAIL = "Kryptowelt <redaktion@kryptowelt.example>"
    django_user_model.objects.create_user(
        "lena", email="lena@kryptowelt.example", password="alt-und-vergessen"
    )
    form = client.get(reverse("wagtailadmin_password_reset")).content.decode()
    assert "Passwort" in form
    response = client.post(
        reverse("wagtailadmin_password_reset"), {"email": "lena@kryptowelt.example"}
    )
    assert response.status_code == 302

    [message] = smtp_server.to("lena@kryptowelt.example")
    assert message["Subject"] == "Kryptowelt: Passwort zurücksetzen"
    _assert_proper_headers(message, sender="Kryptowelt <redaktion@kryptowelt.example>")
    text, html = _parts(message)
    assert "Passwort" in text and "lena" in text
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+/)", text).group(1)
    assert f'href="http://testserver{link}"' in html
    assert '<html lang="de">' in html

    # The link, as the editor's browser follows it: Django swaps the token for a session.
    page = client.get(link, follow=True)
    assert page.status_code == 200
    set_password_url = page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "Neu-und-lang-2026!", "new_password2": "Neu-und-lang-2026!"},
    )
    assert done.status_code == 302
    client.logout()
    assert client.login(username="lena", password="Neu-und-lang-2026!")
    assert not client.login(username="lena", password="alt-und-vergessen")


def test_password_reset_for_an_unknown_address_sends_nothing(client, smtp_server):
    response = client.post(reverse("wagtailadmin_password_reset"), {"email": "wer@example.de"})
    assert response.status_code == 302  # the same answer: nobody learns who has an account
    assert smtp_server.messages == []


# --- review notices --------------------------------------------------------------------------
@pytest.fixture
def newsroom(django_user_model, home):
    editor = django_user_model.objects.create_user(
        "redaktion", email="redaktion@kryptowelt.example", password="pw"
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    reviewer = django_user_model.objects.create_user(
        "chefredaktion", email="chef@kryptowelt.example", password="pw", first_name="Clara"
    )
    reviewer.groups.add(Group.objects.get(name="Moderators"))
    return editor, reviewer


def _submit(client, editor):
    client.force_login(editor)
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    response = client.post(add_url(), {**article_form(author), "action-submit": "submit"})
    assert response.status_code == 302
    return ArticlePage.objects.get(slug="neue-regeln-fuer-kryptoboersen")


def test_an_editors_submission_mails_the_reviewer_in_german(client, smtp_server, newsroom):
    editor, reviewer = newsroom
    page = _submit(client, editor)

    [message] = smtp_server.to("chef@kryptowelt.example")
    assert smtp_server.to("redaktion@kryptowelt.example") == []  # not the one who submitted
    assert "Neue Regeln für Kryptobörsen" in message["Subject"]
    assert "Freigabe" in message["Subject"]
    _assert_proper_headers(message, sender="Kryptowelt <redaktion@kryptowelt.example>")
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = _parts(message)
    edit_url = f"http://testserver/admin/pages/{page.pk}/edit/"
    assert "Hallo Clara" in text and edit_url in text
    assert f'href="{edit_url}"' in html and "Kryptowelt" in html
    assert "Hello" not in text + html and "submitted" not in text + html


def test_the_editor_hears_in_german_that_changes_were_requested(client, smtp_server, newsroom):
    editor, reviewer = newsroom
    page = _submit(client, editor)
    client.force_login(reviewer)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "reject", task_state.pk))
    assert client.post(url, {"comment": "Bitte Quelle ergänzen"}).status_code in (200, 302)

    [message] = smtp_server.to("redaktion@kryptowelt.example")
    text, html = _parts(message)
    assert "Neue Regeln für Kryptobörsen" in message["Subject"]
    assert "abgelehnt" in message["Subject"] or "Änderungen" in message["Subject"]
    assert "Bitte Quelle ergänzen" in text
    assert "rejected" not in (message["Subject"] + text).lower()


# --- error mails -----------------------------------------------------------------------------
def test_an_unhandled_error_reaches_admins_in_german(smtp_server, settings, error_client):
    settings.ADMINS = [("Betrieb", "ops@kryptowelt.example")]
    settings.SERVER_EMAIL = "Kryptowelt-Server <server@kryptowelt.example>"
    response = error_client.get(
        "/kaputt/?token=geheim",
        headers={"X-Request-ID": "abc-123", "Cookie": "sessionid=sitzung-geheim"},
    )
    assert response.status_code == 500

    [message] = smtp_server.to("ops@kryptowelt.example")
    assert message["Subject"] == "[Kryptowelt] Fehler 500 auf GET /kaputt/"
    _assert_proper_headers(message, sender="Kryptowelt-Server <server@kryptowelt.example>")
    text, html = _parts(message)
    assert "Ein unerwarteter Fehler ist aufgetreten." in text
    assert "Request-ID: abc-123" in text
    assert "ZeroDivisionError" in text and "ZeroDivisionError" in html
    # Only what finds the error: no query values, no cookies.
    assert "geheim" not in text + html
