"""„Meistgelesen“ counts the views only the caching proxy answered (`make serve-production`):
a reader opens an article several times, nginx answers all but the first from its cache (the
app never sees them), the view counting takes nginx's view log (`kryptowelt count_views`,
what the scheduler runs every VIEWS_COUNT_SECONDS), and the API's list and the home page's
box name the article, with every view counted and the bots' and prefetches' left out.

Runs on the session's stack (conftest.py); starts one when run alone."""

import html
import json
import os
import re
import time
from urllib.parse import urlsplit

import pytest

from kryptowelt.e2e.tests.test_production_stack import fetch

pytestmark = [pytest.mark.stack]

# A reader's browser: nginx flags "python", "headless", "curl" … in the User-Agent as bots.
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
FROM_THE_CACHE = {"HIT", "UPDATING", "STALE"}
PURGE_SECONDS = 20


def _api(stack, path: str) -> dict:
    status, _headers, body = fetch(stack.url("/api/v1/" + path), headers={"User-Agent": BROWSER})
    assert status == 200, (path, body[:500])
    return json.loads(body)


def _most_read_box(html: str) -> str:
    match = re.search(r'<section class="most-read".*?</section>', html, re.S)
    return match.group(0) if match else ""


def _article_nobody_read(stack, listed: set[int]) -> tuple[int, str, str]:
    """(id, path, title) of a published article not in „Meistgelesen“ yet."""
    for item in _api(stack, "articles/?limit=50")["items"]:
        if item["id"] not in listed and item["url"]:
            return item["id"], urlsplit(item["url"]).path, item["title"]
    pytest.fail("Kein Artikel außerhalb von „Meistgelesen“ in der Demo gefunden")


def test_most_read_changes_after_views_only_the_proxy_cache_answered(stack):
    # Distinct queries before and after: the proxy keeps each list a short while.
    before = _api(stack, "articles/most-read/?period=24h&limit=20")
    listed = {entry["article"]["id"] for entry in before["items"]}
    assert len(listed) < 20, "Liste voll: Vorher-Zahl des Artikels unbekannt"
    most = max((entry["views"] for entry in before["items"]), default=0)
    article_id, path, title = _article_nobody_read(stack, listed)
    assert f'href="{path}"' not in _most_read_box(fetch(stack.url("/"))[2])

    # More views than the current first place, all but the first answered by nginx.
    views = max(4, most + 1)
    cache_statuses = []
    for _ in range(views):
        status, headers, _ = fetch(stack.url(path), headers={"User-Agent": BROWSER})
        assert status == 200
        cache_statuses.append(headers.get("X-Cache-Status", ""))
    from_cache = sum(1 for value in cache_statuses if value in FROM_THE_CACHE)
    assert from_cache >= views - 1, cache_statuses
    # Not counted: bots (this client's own User-Agent) and prefetches.
    for headers in ({}, {"User-Agent": BROWSER, "Sec-Purpose": "prefetch"}):
        for _ in range(3):
            assert fetch(stack.url(path), headers=headers)[0] == 200

    # The counting, as the scheduler runs it (with the purge address its processes have).
    log = os.environ.get("VIEWS_LOG_FILE") or str(stack.var_dir / "log" / "views.log")
    stack.kryptowelt(
        "count_views", "--log", log, env={"FRONTEND_CACHE_PURGE_URL": stack.url("/__purge")}
    )

    after = _api(stack, "articles/most-read/?period=24h&limit=19")
    first = after["items"][0]
    assert (first["article"]["id"], first["article"]["title"]) == (article_id, title)
    # Every view by a person counted, the cached ones included; bots and prefetches not.
    assert first["views"] == views
    week = _api(stack, "articles/most-read/?period=7d&limit=19")
    assert week["items"][0]["article"]["id"] == article_id

    # The home page leaves the proxy cache (purged by the counting) and shows the article.
    deadline = time.monotonic() + PURGE_SECONDS
    while f'href="{path}"' not in (box := _most_read_box(fetch(stack.url("/"))[2])):
        if time.monotonic() > deadline:
            pytest.fail(f"„Meistgelesen“ der Startseite nennt {path} nicht:\n{box[:2000]}")
        time.sleep(0.5)
    assert title in html.unescape(box)
