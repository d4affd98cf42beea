"""The editor's admin in Debian's Chromium: the preview panel, saving during an autosave, and
the whole path from a new article to its approval. Everything here is made by the tests
(a hand-made site, a synthetic one-colour image, made-up articles)."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from kryptowelt.news.models import ArticlePage, Author, SectionPage

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
PASSWORD = "Browser-Test-123"  # noqa: S105 - a throwaway test account

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium fehlt (/usr/bin/chromium)"),
]


@pytest.fixture(autouse=True)
def _orm_next_to_playwright(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own database reads
    # (not the live server's) are plain synchronous queries all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def newsroom(live_server, home, django_user_model):
    """An editor whose changes need approval (Wagtail's "Editors" group), an administrator,
    an author and a synthetic image."""
    editor = django_user_model.objects.create_user("redaktion", password=PASSWORD)
    editor.groups.add(Group.objects.get(name="Editors"))
    django_user_model.objects.create_superuser("chefin", "chefin@example.org", PASSWORD)
    Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 675), (30, 60, 120)).save(buffer, "JPEG")
    get_image_model().objects.create(
        title="Blaue Fläche (synthetisch)",
        description="Eine einfarbig blaue Fläche",
        file=ImageFile(buffer, name="blau.jpg"),
    )
    return live_server.url


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


def open_admin(browser, base_url: str, username: str):
    """A logged-in admin tab that records console errors and failed requests."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda message: page.problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


def section_id(slug="neuigkeiten") -> int:
    return SectionPage.objects.get(slug=slug).pk


def wait_for_editor(page):
    # Wagtail notes the form's starting state two seconds after loading; only changes after
    # that count as edits (and start an autosave).
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2500)


def test_the_preview_panel_shows_the_article(newsroom, browser, article_factory):
    article = article_factory(title="Vorschau: Bitcoin im Rahmen")
    page = open_admin(browser, newsroom, "redaktion")
    page.goto(f"{newsroom}/admin/pages/{article.pk}/edit/")
    page.locator("button[data-side-panel-toggle='preview']").click()
    heading = page.frame_locator("#w-preview-iframe").locator("h1").first
    heading.wait_for(timeout=15_000)
    assert heading.inner_text().strip() == "Vorschau: Bitcoin im Rahmen"
    assert not [p for p in page.problems if "Content Security Policy" in p or "frame" in p]


def test_publishing_while_an_autosave_is_under_way_publishes(newsroom, browser):
    """A click on "Veröffentlichen" during an autosave waits for it (autosave-guard.js); by
    then Wagtail has disabled the button ("Veröffentlichen …"), and a disabled button's name
    is not sent: the edit view took the held click for a plain save and left a draft (seen
    as a flaky stack test). The test delays every autosave's answer."""
    page = open_admin(browser, newsroom, "chefin")

    def slow_answer(route, request):
        if request.method == "POST" and "application/json" in request.headers.get("accept", ""):
            response = route.fetch()
            page.wait_for_timeout(2500)
            route.fulfill(response=response)
        else:
            route.continue_()

    page.route(re.compile(r"/admin/pages/"), slow_answer)
    # Read before the browser writes: the live server shares the SQLite test database, and
    # a query from here while it publishes fails with "database table is locked".
    section = section_id()
    page.goto(f"{newsroom}/admin/pages/add/news/articlepage/{section}/")
    wait_for_editor(page)
    page.fill("#id_title", "Sofort veröffentlicht")
    page.fill("#id_teaser", "Was sich ändert, kurz zusammengefasst.")
    page.get_by_role("button", name="Einen Block einfügen").first.click()
    page.get_by_role("option", name="Zwischenüberschrift").click()
    page.fill("input[name='body-0-value-text']", "Was Anleger jetzt wissen sollten")
    page.get_by_role("button", name="Autor/in auswählen").click()
    page.locator(".modal a[data-chooser-modal-choice]").first.click()
    page.locator(".modal").wait_for(state="hidden")
    with page.expect_request(
        lambda r: r.method == "POST" and "application/json" in r.headers.get("accept", "")
    ):
        page.locator("#id_teaser").press_sequentially(" Jetzt.")
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{section}/$"), timeout=20_000)
    page.unroute_all(behavior="ignoreErrors")

    article = ArticlePage.objects.get(title="Sofort veröffentlicht")
    assert article.live and not article.has_unpublished_changes
    assert article.teaser.endswith("Jetzt.")


def test_saving_while_the_first_autosave_is_under_way_makes_one_article(newsroom, browser):
    """The first autosave of a new page creates it; a click on "Entwurf speichern" before its
    answer arrived used to create the article a second time ("Der Kurztitel … wird bereits
    verwendet"). The test lets the autosave reach the server at once and delays its answer."""
    page = open_admin(browser, newsroom, "redaktion")
    autosaves = []

    def slow_answer(route, request):
        if request.method == "POST" and "application/json" in request.headers.get("accept", ""):
            response = route.fetch()  # the server creates the page now …
            autosaves.append(response.status)
            page.wait_for_timeout(2500)  # … the editor's browser hears of it later
            route.fulfill(response=response)
        else:
            route.continue_()

    page.route(re.compile(r"/admin/pages/add/"), slow_answer)
    page.goto(f"{newsroom}/admin/pages/add/news/articlepage/{section_id()}/")
    wait_for_editor(page)
    with page.expect_request(
        lambda r: r.method == "POST" and "application/json" in r.headers.get("accept", "")
    ):
        page.locator("#id_title").press_sequentially("Schnell gespeichert")
    page.get_by_role("button", name="Entwurf speichern").click()
    # The click waits for the autosave, then goes to the edit view of the page it created.
    page.locator(".messages", has_text="wurde aktualisiert").wait_for(timeout=20_000)
    page.unroute_all(behavior="ignoreErrors")

    assert autosaves == [200]
    assert list(ArticlePage.objects.filter(title="Schnell gespeichert")) == [
        ArticlePage.objects.get(slug="schnell-gespeichert")
    ]
    article = ArticlePage.objects.get(slug="schnell-gespeichert")
    assert page.url.endswith(f"/admin/pages/{article.pk}/edit/")
    assert "bereits verwendet" not in page.content()
