"""What a reader meets on a 390 × 844 phone (and a 1366 × 900 desktop), in Debian's Chromium
against Django's live server: the main menu, the market table and the Lexikon's A–Z bar.
The site is the small hand-made `whole_site` (conftest.py)."""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
MENU = ["Neuigkeiten", "Trends", "Tipps", "Wissen", "Kurse", "Vergleiche", "Rechner"]
MENU += ["Lexikon", "Ratgeber"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium fehlt (/usr/bin/chromium)"),
]


@pytest.fixture
def site(live_server, whole_site):
    """The live server's URL and the article's path; the data is written before the browser
    starts (Playwright's event loop forbids database access afterwards)."""
    return live_server.url, whole_site.url


@pytest.fixture
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield instance
        instance.close()


def _open(browser, viewport):
    phone = viewport is PHONE
    context = browser.new_context(
        locale="de-DE", viewport=viewport, has_touch=phone, is_mobile=phone
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def _inside(box, viewport) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )


def _menu_links(page):
    return {link.text_content().strip(): link for link in page.locator("nav.site-nav a").all()}


def _menu_reachable(page, viewport, *, min_target: int) -> int:
    """Assert that every menu destination lies inside the screen, with a large enough
    target, after at most one tap; returns the taps it took."""
    links = _menu_links(page)
    assert sorted(links) == sorted(MENU), page.url
    taps = 0
    if not all(
        link.is_visible() and _inside(link.bounding_box(), viewport) for link in links.values()
    ):
        toggle = page.locator("nav.site-nav summary")
        assert toggle.is_visible(), f"{page.url}: Menü nicht sichtbar und kein Menü-Knopf"
        assert _inside(toggle.bounding_box(), viewport)
        box = toggle.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
        toggle.tap()
        taps = 1
    for title, link in links.items():
        box = link.bounding_box()
        assert link.is_visible() and _inside(box, viewport), (page.url, title, box)
        assert box["width"] >= min_target and box["height"] >= min_target, (title, box)
    # Nothing of the page hides in a sideways scroll.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.url
    return taps


def test_every_menu_destination_is_one_tap_away_on_a_phone_and_shown_on_a_desktop(browser, site):
    base, article = site
    pages = [
        "/",
        "/neuigkeiten/",
        article,
        "/kurse/",
        "/kurse/bitcoin/",
        "/vergleich/krypto-boersen/",
        "/rechner/",
        "/lexikon/",
        "/ratgeber/",
        "/suche/?q=bitcoin",
        "/gibt-es-nicht/",
    ]
    context, page = _open(browser, PHONE)
    for path in pages:
        page.goto(base + path)
        assert _menu_reachable(page, PHONE, min_target=44) <= 1
    # The menu button also closes it again, and names the section the page belongs to.
    page.goto(base + "/kurse/bitcoin/")
    toggle = page.locator("nav.site-nav summary")
    assert "Kurse" in toggle.text_content()
    toggle.tap()
    toggle.tap()
    assert not page.locator("nav.site-nav a").first.is_visible()
    assert page.errors == []
    context.close()

    context, page = _open(browser, DESKTOP)
    for path in pages[:4]:
        page.goto(base + path)
        assert _menu_reachable(page, DESKTOP, min_target=24) == 0
        assert not page.locator("nav.site-nav summary").is_visible()
    context.close()


def test_lexicon_alphabet_shows_every_letter_on_a_phone_without_sideways_scrolling(browser, site):
    base, _ = site
    context, page = _open(browser, PHONE)
    page.goto(base + "/lexikon/")
    letters = page.locator("nav.letter-nav li > *").all()
    assert len(letters) >= 26
    for letter in letters:
        box = letter.bounding_box()
        assert _inside(box, PHONE), (letter.text_content(), box)
        assert box["width"] >= 24 and box["height"] >= 24, (letter.text_content(), box)
    bar = page.locator("nav.letter-nav ul")
    assert bar.evaluate("list => list.scrollWidth <= list.clientWidth")
    assert page.errors == []
    context.close()
