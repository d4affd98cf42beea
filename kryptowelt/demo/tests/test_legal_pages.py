"""Legal pages: the Impressum keeps the address's lines, and a site installed with an earlier
demo gets the corrected texts unless an editor changed them."""

import html as html_lib
import re

import pytest

from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.core.models import StandardPage
from kryptowelt.demo.loaders import load_site
from kryptowelt.demo.pages_text_previous import DATENSCHUTZ_2026_11, IMPRESSUM_ONE_LINE

# The demo builds its own site: the shared test site (conftest) must not be there.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_absent")]

OLD_PRIVACY_CLAIM = "keine Cookies</b>"  # "Wir setzen für Leserinnen und Leser keine Cookies"


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html_lib.unescape(response.content.decode())


def install_old_text(slug: str, text: str) -> StandardPage:
    """What a site set up by an earlier `kryptowelt demo` has published."""
    page = StandardPage.objects.get(slug=slug)
    page.body = markdown_to_blocks(text)
    page.save_revision().publish()
    return page


def test_the_impressum_shows_the_address_on_separate_lines(client):
    load_site()
    text = page_text(client, "/impressum/")
    assert re.search(r"Demo-Redaktion<br\s*/?>\s*Musterstraße 1<br\s*/?>\s*10115 Berlin", text)


def test_an_installed_site_gets_the_corrected_privacy_and_impressum_texts(client):
    load_site()
    install_old_text("datenschutz", DATENSCHUTZ_2026_11)
    install_old_text("impressum", IMPRESSUM_ONE_LINE)
    assert OLD_PRIVACY_CLAIM in page_text(client, "/datenschutz/")

    load_site()  # `kryptowelt demo`, run by `make run` and serve-production on every start

    privacy = page_text(client, "/datenschutz/")
    assert OLD_PRIVACY_CLAIM not in privacy
    assert "„csrftoken“" in privacy and "nur im Arbeitsspeicher" in privacy
    assert re.search(r"Musterstraße 1<br\s*/?>", page_text(client, "/impressum/"))


def test_a_text_an_editor_changed_stays(client):
    load_site()
    edited = DATENSCHUTZ_2026_11.replace("14 Tagen", "7 Tagen")
    install_old_text("datenschutz", edited)
    load_site()
    privacy = page_text(client, "/datenschutz/")
    assert "nach spätestens 7 Tagen gelöscht" in privacy
    assert OLD_PRIVACY_CLAIM in privacy  # the editor's text, not ours


def test_a_draft_of_the_old_text_is_left_to_its_editor(client):
    load_site()
    page = install_old_text("datenschutz", DATENSCHUTZ_2026_11)
    page.body = markdown_to_blocks(DATENSCHUTZ_2026_11 + "\n\nEin Absatz der Redaktion.\n")
    page.save_revision()  # a draft, not published
    load_site()
    page.refresh_from_db()
    assert page.has_unpublished_changes
    assert OLD_PRIVACY_CLAIM in page_text(client, "/datenschutz/")


def test_running_the_loader_again_writes_no_new_revision():
    load_site()
    page = StandardPage.objects.get(slug="datenschutz")
    revisions = page.revisions.count()
    load_site()
    load_site()
    assert page.revisions.count() == revisions
