"""The watchlist (issue 17, item 4) in Debian's Chromium against Django's live server: a coin
starred on /kurse/ stays starred after a reload and shows on the home page; it lives in
localStorage only – no cookie, and no request leaves for another host. Without JavaScript
the pages show neither star nor list."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kryptowelt.alerts.loaders import load_alert_page

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium fehlt (/usr/bin/chromium)"),
]


@pytest.fixture
def site(live_server, whole_site, home):
    """The live server's URL; the data (with /kursalarm/) is written before the browser
    starts (Playwright's event loop forbids database access afterwards)."""
    load_alert_page(home=home)
    return live_server.url


@pytest.fixture
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield instance
        instance.close()


def test_a_starred_coin_stays_in_this_browser_only(site, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    hosts, errors = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(site + "/kurse/")
    watchlist = page.locator("[data-watchlist]")
    expect(watchlist).to_be_hidden()  # nothing starred yet
    star = page.locator('.market-table tr:has(a[href="/kurse/ethereum/"]) button.watch-star')
    expect(star).to_have_attribute("aria-pressed", "false")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")
    expect(star).to_have_attribute("aria-label", "Ethereum von der Beobachtungsliste nehmen")

    page.reload()
    expect(star).to_have_attribute("aria-pressed", "true")
    expect(watchlist).to_be_visible()
    expect(watchlist).to_contain_text("Ihre Beobachtungsliste")
    expect(watchlist.locator(".watchlist__item")).to_have_count(1)

    page.goto(site + "/")
    item = page.locator("[data-watchlist] .watchlist__item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Ethereum")
    expect(item.locator(".watchlist__price")).to_contain_text("€")
    expect(item.locator("a")).to_have_attribute("href", "/kurse/ethereum/")

    # The coin page's star knows it too; un-starring there empties the list.
    page.goto(site + "/kurse/ethereum/")
    coin_star = page.locator("button[data-watch-coin]")
    expect(coin_star).to_be_visible()
    expect(coin_star).to_have_attribute("aria-pressed", "true")
    coin_star.click()
    page.goto(site + "/")
    expect(page.locator("[data-watchlist]")).to_be_hidden()

    stored = page.evaluate("() => window.localStorage.getItem('kryptowelt:beobachtungsliste')")
    assert stored == "[]"
    assert context.cookies() == []
    assert hosts == {urlsplit(site).netloc}
    assert errors == []
    context.close()


def test_without_javascript_there_is_no_star_and_no_list(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in ("/kurse/", "/", "/kurse/bitcoin/"):
        page.goto(site + path)
        assert page.locator(".watch-star:visible").count() == 0
        assert page.locator("[data-watchlist]:visible").count() == 0
    # The alert form works without JavaScript: it is a plain form.
    assert page.locator('form[action="/kursalarm/neu/"] button[type="submit"]').count() == 1
    assert context.cookies() == []
    context.close()
