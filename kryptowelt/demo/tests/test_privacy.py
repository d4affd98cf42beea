"""The demo's privacy page tells the truth about cookies and the tax calculator's upload."""

import html as html_lib

import pytest

from kryptowelt.demo.loaders import load_site

# The demo builds its own site: the shared test site (conftest) must not be there.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_absent")]

READER_URLS = ("/", "/rechner/", "/rechner/steuer/", "/rechner/gewinn/", "/suche/?q=bitcoin")


def test_the_privacy_page_names_every_cookie_a_reader_gets(client):
    load_site()
    cookies = set()
    for url in READER_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        cookies |= set(response.cookies)
        # The footer on every page said so, untruly for the tax calculator.
        assert "keine Cookies für Leserinnen und Leser" not in response.content.decode(), url
    assert cookies == {"csrftoken"}  # set by the tax calculator's form

    text = html_lib.unescape(client.get("/datenschutz/").content.decode())
    for name in cookies:
        assert f"„{name}“" in text
    assert "keine Cookies</strong>," not in text  # the old, untrue "keine Cookies" for readers


def test_the_privacy_page_describes_how_an_upload_is_processed(client):
    load_site()
    text = html_lib.unescape(client.get("/datenschutz/").content.decode())
    assert "CSV-Datei" in text and "nur im Arbeitsspeicher" in text
    assert "in einer Datenbank gespeichert" in text
