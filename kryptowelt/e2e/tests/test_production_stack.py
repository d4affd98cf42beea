"""End to end, through `make serve-production` (nginx proxy cache → gunicorn → PostgreSQL/Redis):
headers and caching as a reader's browser sees them, the reader's and the editor's paths in
Debian's Chromium, accessibility (axe-core) and the W3C Nu HTML checker.

The tests run in file order on one stack: the abuse limits come last, since they lock
127.0.0.1 out for a while."""

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

pytestmark = [pytest.mark.stack]

TOOLS = Path(settings.BASE_DIR) / ".tools" / "npm" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTICLE_PATH = "/neuigkeiten/bybit-hack-februar-2025/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, *, method="GET", data=None, headers=None, opener=None):
    """(status, headers, body) without following redirects; HTTP errors are answers too."""
    body = urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310
    opener = opener or urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def directives(policy: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


# --- headers and caching ---------------------------------------------------------------------
READER_PAGES = ["/", "/neuigkeiten/", ARTICLE_PATH, "/suche/?q=Bitcoin", "/thema/bitcoin/"]


def test_every_page_carries_the_security_headers(stack):
    for path in [*READER_PAGES, "/gibt-es-nicht/", "/admin/login/"]:
        status, headers, _ = fetch(stack.url(path))
        assert status in (200, 404), path
        policy = directives(headers["Content-Security-Policy"])
        assert "'unsafe-eval'" not in policy["script-src"], path
        assert policy["object-src"] == "'none'", path
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000"), path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert "camera=()" in headers["Permissions-Policy"], path
        if path.startswith("/admin/"):
            assert policy["frame-ancestors"] == "'self'"
        else:
            assert policy["script-src"] == "'self'", path
            assert policy["frame-ancestors"] == "'none'", path


def test_public_pages_come_from_the_proxy_cache_editors_never(stack):
    for path in READER_PAGES:
        fetch(stack.url(path))
        # An entry that expired meanwhile is served stale while one request renews it.
        deadline = time.monotonic() + 10
        while True:
            status, headers, _ = fetch(stack.url(path))
            if headers["X-Cache-Status"] != "UPDATING" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert status == 200
        assert headers["X-Cache-Status"] == "HIT", path
        assert headers["Cache-Control"].startswith("public"), path
    # A session cookie, forged or not, is served from the cache like any reader (finding 4);
    # only the verified editor cookie of a logged-in editor gets past it.
    for cookie in ("sessionid=abc", f"sessionid={'k' * 32}", f"kw_editor=4102444800.{'A' * 22}"):
        status, headers, _ = fetch(stack.url("/"), headers={"Cookie": cookie})
        assert (status, headers["X-Cache-Status"]) == (200, "HIT"), cookie
        assert headers["Cache-Control"].startswith("public"), cookie
        assert "Set-Cookie" not in headers, cookie
    editor = _editor_opener(stack)
    status, headers, _ = fetch(stack.url("/"), opener=editor)
    assert (status, headers["X-Cache-Status"]) == (200, "BYPASS")
    assert headers["Cache-Control"] == "private, no-store"
    assert fetch(stack.url("/"))[1]["X-Cache-Status"] == "HIT"  # the editor left nothing behind
    _, headers, _ = fetch(stack.url("/admin/login/"))
    assert headers.get("X-Cache-Status") is None
    assert headers["Cache-Control"] == "private, no-store"
    # What the app does on publish: PURGE, and the next reader gets a fresh copy.
    assert fetch(stack.url("/__purge/neuigkeiten/"), method="PURGE")[0] == 200
    assert fetch(stack.url("/neuigkeiten/"))[1]["X-Cache-Status"] == "MISS"
    assert fetch(stack.url("/__purge/nie-im-cache/"), method="PURGE")[0] == 404
    # Section pages further back: the query string is part of what is purged.
    for _ in range(2):
        status, headers, _ = fetch(stack.url("/neuigkeiten/?seite=2"))
    assert (status, headers["X-Cache-Status"]) == (200, "HIT")
    assert fetch(stack.url("/__purge/neuigkeiten/?seite=2"), method="PURGE")[0] == 200
    assert fetch(stack.url("/neuigkeiten/?seite=2"))[1]["X-Cache-Status"] == "MISS"
    assert fetch(stack.url("/neuigkeiten/?seite=2"))[1]["X-Cache-Status"] == "HIT"
    # Shared links: tracking parameters use the plain page's entry, and go with its purge.
    fetch(stack.url(ARTICLE_PATH))
    shared = stack.url(ARTICLE_PATH + "?utm_source=newsletter&fbclid=IwAR0x")
    assert fetch(shared)[1]["X-Cache-Status"] == "HIT"
    assert fetch(stack.url("/__purge" + ARTICLE_PATH), method="PURGE")[0] == 200
    assert fetch(stack.url(ARTICLE_PATH + "?fbclid=IwAR0y"))[1]["X-Cache-Status"] == "MISS"
    assert fetch(stack.url(ARTICLE_PATH + "?fbclid=x&seite=2"))[1]["X-Cache-Status"] == "MISS"


def test_static_files_have_hashed_names_compression_and_a_long_life(stack):
    _, _, html = fetch(stack.url("/"))
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    status, headers, _ = fetch(stack.url(stylesheet), headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=315360000" in headers["Cache-Control"]


def _editor_opener(stack):
    """An opener logged into the admin, with its session and editor cookies."""
    jar = CookieJar()
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(jar))
    _, _, html = fetch(stack.url("/admin/login/"), opener=opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    status, _, _ = fetch(
        stack.url("/admin/login/"),
        method="POST",
        data={
            "csrfmiddlewaretoken": token,
            "username": stack.admin_user,
            "password": stack.admin_password,
        },
        headers={"Referer": stack.url("/admin/login/"), "Origin": stack.base_url},
        opener=opener,
    )
    assert status == 302
    assert {cookie.name for cookie in jar} >= {"sessionid", "kw_editor"}
    return opener


# --- forged requests, upload privacy, error pages (issue 13) ----------------------------------
def _site_urls(body: str) -> list[str]:
    return [u for u in re.findall(r"https?://[^\s\"'<>]+", body) if "127.0.0.1" in u or "6666" in u]


def test_a_forged_host_never_changes_what_other_readers_get(stack):
    paths = ["/sitemap.xml", "/robots.txt", "/feeds/rss/", ARTICLE_PATH]
    for path in paths:
        fetch(stack.url("/__purge" + path), method="PURGE")
        status, headers, body = fetch(stack.url(path), headers={"Host": "127.0.0.1:6666"})
        assert (status, headers["X-Cache-Status"]) == (200, "MISS"), path
        assert "6666" not in body, path
        status, headers, body = fetch(stack.url(path))
        assert (status, headers["X-Cache-Status"]) == (200, "HIT"), path  # the forged copy
        urls = _site_urls(body)
        assert urls, path
        assert all(url.startswith(stack.base_url + "/") for url in urls), (path, urls)
    # A host name the site does not have: nginx's German 400 page, nothing cached, no app.
    status, headers, body = fetch(stack.url(ARTICLE_PATH), headers={"Host": "evil.example"})
    assert status == 400
    assert "Ungültige Anfrage" in body and 'class="site-header"' in body
    assert headers.get("X-Cache-Status") is None


def test_nginx_error_pages_are_german_and_styled(stack):
    def german(status, body, title):
        assert f"<h1>{title}</h1>" in body, (status, body[:300])
        assert '<html lang="de">' in body and "<style>" in body
        assert 'class="site-header"' in body

    status, _, body = fetch(stack.url("/" + "x" * 9000))
    assert status == 414
    german(status, body, "Adresse zu lang")
    status, _, body = fetch(stack.url("/"), headers={"X-Viel": "y" * 9000})
    assert status == 431
    german(status, body, "Anfrage zu groß")
    status, headers, body = fetch(stack.url("/media/gibt-es-nicht.png"))
    assert status == 404
    german(status, body, "Seite nicht gefunden")
    # A body over the limit is refused before it is read.
    with socket.create_connection(("127.0.0.1", int(stack.base_url.rsplit(":", 1)[1]))) as raw:
        raw.sendall(
            b"POST /suche/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 40000000\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n"
        )
        answer = _read_http_answer(raw)
    assert answer.startswith(b"HTTP/1.1 413")
    german(413, answer.decode(errors="replace"), "Zu viele Daten gesendet")
    # The app down, slow or unavailable: nginx's own 502, 504 and 503 (test locations,
    # loopback additions included by the server block, then removed again).
    with _test_locations(stack, _HANGING_LOCATIONS) as hanging:
        for status, title in (
            (502, "Seite gerade nicht erreichbar"),
            (503, "Vorübergehend nicht verfügbar"),
            (504, "Antwort dauert zu lange"),
        ):
            answer_status, _, body = fetch(stack.url(f"/__test/{status}"))
            assert answer_status == status
            german(status, body, title)
        assert hanging.accepted


def test_media_files_are_never_sniffed(stack):
    (stack.var_dir / "media").mkdir(exist_ok=True)
    (stack.var_dir / "media" / "probe.txt").write_text("<script>alert(1)</script>")
    status, headers, _ = fetch(stack.url("/media/probe.txt"))
    assert status == 200
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in headers["Content-Security-Policy"]


def _spooled_bodies(stack) -> list[str]:
    """The request-body files nginx's workers hold: they are unlinked as soon as they are
    created, so they show among the workers' open files, not in the folder."""
    master = (stack.var_dir / "run" / "nginx.pid").read_text().strip()
    found = []
    for process in Path("/proc").iterdir():
        try:
            if (
                process.name.isdigit()
                and (process / "stat").read_text().rsplit(")", 1)[1].split()[1] == master
            ):
                for descriptor in (process / "fd").iterdir():
                    target = os.readlink(descriptor)
                    if "client_body" in target:
                        found.append(target)
        except OSError:
            continue
    found.extend(
        str(path)
        for path in (stack.var_dir / "nginx" / "tmp" / "client_body").rglob("*")
        if path.is_file()
    )
    return found


def test_a_tax_upload_never_touches_the_disk(stack):
    """nginx spools bodies over client_body_buffer_size to client_body_temp_path; the tax
    page's must stay in memory. Sent slowly, so a temporary file would be seen."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, _, html = fetch(stack.url("/rechner/steuer/"), opener=opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf_cookie = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    # Synthetic: 2 MB of notes that are no transaction list (the answer is a German error,
    # quickly; what matters is where the bytes went on their way).
    content = "Notizen zur Steuer\n" + "nur Text ohne Spalten\n" * 100_000
    boundary = "kryptoweltgrenze"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="datei"; '
        f'filename="notizen.csv"\r\nContent-Type: text/csv\r\n\r\n'
        f"{content}\r\n--{boundary}--\r\n"
    ).encode()
    assert len(body) > 2_000_000
    seen = []
    port = int(stack.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=60) as raw:
        raw.sendall(
            (
                f"POST /rechner/steuer/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {len(body)}\r\nCookie: csrftoken={csrf_cookie}\r\n"
                f"Referer: {stack.url('/rechner/steuer/')}\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        for start in range(0, len(body), 500_000):
            raw.sendall(body[start : start + 500_000])
            time.sleep(0.2)
            seen.extend(_spooled_bodies(stack))
        answer = _read_http_answer(raw)
    assert seen == []
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"passen zu keinem bekannten Format" in answer


def _read_http_answer(raw) -> bytes:
    """Everything until nginx closes the connection (the requests ask it to, or it must)."""
    raw.settimeout(60)
    chunks = []
    while chunk := raw.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


class _HangingServer:
    """Accepts connections and never answers (an app that hangs)."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.accepted.append(self.socket.accept()[0])
            except OSError:
                return

    def close(self):
        self.socket.close()
        for connection in self.accepted:
            connection.close()


_HANGING_LOCATIONS = """
location = /__test/502 {{ proxy_pass http://127.0.0.1:{closed}; }}
location = /__test/503 {{ return 503; }}
location = /__test/504 {{ proxy_pass http://127.0.0.1:{hanging}; proxy_read_timeout 1s; }}
"""


@contextmanager
def _test_locations(stack, template):
    hanging = _HangingServer()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    closed = probe.getsockname()[1]
    probe.close()
    conf = stack.var_dir / "nginx" / "conf.d" / "test-errors.conf"
    conf.write_text(template.format(closed=closed, hanging=hanging.port))
    _reload_nginx(stack)
    try:
        yield hanging
    finally:
        conf.unlink()
        _reload_nginx(stack)
        hanging.close()


def _reload_nginx(stack):
    os.kill(int((stack.var_dir / "run" / "nginx.pid").read_text()), signal.SIGHUP)
    time.sleep(1.5)  # the new workers take over


# --- Redis away: pages render uncached (finding 3) --------------------------------------------
def test_the_site_answers_while_redis_is_down_and_caches_again_after(stack):
    pid = int((stack.var_dir / "run" / "redis.pid").read_text())
    os.kill(pid, signal.SIGKILL)  # serve-production starts it again after a while
    # Straight to gunicorn, as nginx does on a cache miss: nothing here may come from nginx.
    app = f"http://127.0.0.1:{stack.app_port}"
    started = time.monotonic()
    waits = {}
    for path, expected in (
        ("/suche/?q=Bitcoin", 200),
        ("/rechner/gewinn/?kaufkurs=100&verkaufskurs=150&menge=1", 200),
        ("/gibt-es-nicht/", 404),
        ("/admin/login/", 200),
        (ARTICLE_PATH, 200),
    ):
        begin = time.monotonic()
        status, headers, body = fetch(app + path, headers={"Host": "127.0.0.1"})
        waits[path] = time.monotonic() - begin
        assert status == expected, (path, status)
        assert "<h1" in body, path
        assert headers.get("X-App-Cache") != "HIT", path
    _editor_opener(stack)  # the admin login's POST, with its CSRF check and session
    assert all(wait < 5 for wait in waits.values()), waits
    assert time.monotonic() - started < stack.redis_restart_seconds, "Redis kam zu früh zurück"
    # Redis is started again; the app notices and caches again.
    deadline = time.monotonic() + stack.redis_restart_seconds + 30
    while True:
        fetch(app + "/neuigkeiten/", headers={"Host": "127.0.0.1"})
        _, headers, _ = fetch(app + "/neuigkeiten/", headers={"Host": "127.0.0.1"})
        if headers.get("X-App-Cache") == "HIT":
            break
        assert time.monotonic() < deadline, "Die App nutzt Redis nach dem Neustart nicht wieder"
        time.sleep(1)
    assert int((stack.var_dir / "run" / "redis.pid").read_text()) != pid


# --- the reader's path in Chromium -----------------------------------------------------------
def test_reader_goes_from_home_to_section_article_related_and_search(stack, page):
    page.goto(stack.url("/"))
    assert page.title().endswith("Kryptowelt")
    page.locator("nav.site-nav a", has_text="Neuigkeiten").click()
    page.wait_for_url(stack.url("/neuigkeiten/"))
    assert page.locator("h1").inner_text() == "Neuigkeiten"

    first = page.locator("main .card__title a").first
    article_title = first.inner_text().strip()
    first.click()
    assert page.locator("h1").inner_text().strip() == article_title
    related = page.locator("section.related .card__title a").first
    related_title = related.inner_text().strip()
    related.click()
    assert page.locator("h1").inner_text().strip() == related_title
    assert page.locator("article .article__body").is_visible()

    page.fill("#site-search-q", "Börse")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/suche/\?q="))
    assert page.locator("main a mark, main mark").count() > 0
    assert page.console_errors == []


# --- the editor's path: log in, write, publish, see it live ------------------------------------
def test_term_definitions_show_on_focus_and_escape_hides_them(stack, page):
    page.goto(stack.url(ARTICLE_PATH))
    link = page.locator(".article__body .term__link").first
    tip = page.locator(f"#{link.get_attribute('aria-describedby')}")
    link.focus()
    assert tip.is_visible()
    assert tip.inner_text().strip()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('term__link')")


def test_editor_publishes_an_article_and_readers_see_it_within_two_seconds(stack, page):
    section_id = stack.sql("select id from wagtailcore_page where slug = 'neuigkeiten'")[0][0]
    title = f"Browser-Test: Neue Regeln für Kryptowerte {int(time.time())}"
    for _ in range(2):  # the home page is now in the proxy cache
        status, headers, html = fetch(stack.url("/"))
    assert headers["X-Cache-Status"] == "HIT" and title not in html

    page.goto(stack.url("/admin/login/"))
    page.fill("#id_username", stack.admin_user)
    page.fill("#id_password", stack.admin_password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(stack.url(f"/admin/pages/{section_id}/add_subpage/"))
    page.fill("#id_title", title)
    page.fill("#id_teaser", "Was sich ändert, kurz zusammengefasst.")
    page.get_by_role("button", name="Einen Block einfügen").first.click()
    page.get_by_role("option", name="Zwischenüberschrift").click()
    page.fill("input[name='body-0-value-text']", "Was Anleger jetzt wissen sollten")
    page.get_by_role("button", name="Einen Block einfügen").last.click()
    page.get_by_role("option", name="Tipp-Box").click()
    page.fill("input[name='body-1-value-title']", "Kleine Beträge zuerst testen")
    page.locator(".public-DraftEditor-content").last.click()
    page.keyboard.type("Senden Sie an eine neue Adresse zuerst einen kleinen Testbetrag.")
    page.get_by_role("button", name="Autor/in auswählen").click()
    page.locator(".modal a[data-chooser-modal-choice]").first.click()
    page.locator(".modal").wait_for(state="hidden")

    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{section_id}/"))
    published_at = time.monotonic()
    assert "veröffentlicht" in page.locator(".messages").inner_text()

    # Through the proxy cache: the new article reaches the home page within two seconds.
    while True:
        status, headers, html = fetch(stack.url("/"))
        if title in html:
            break
        assert time.monotonic() - published_at < 2.0, "Startseite zeigt den Artikel nicht"
        time.sleep(0.1)

    reader = page.context.browser.new_page()
    reader.goto(stack.url("/"))
    reader.get_by_role("link", name=title).first.click()
    assert reader.locator("h1").inner_text().strip() == title
    assert reader.locator("h2", has_text="Was Anleger jetzt wissen sollten").is_visible()
    assert reader.locator("aside.tip", has_text="Kleine Beträge zuerst testen").is_visible()
    assert reader.locator(".disclaimer, [class*=disclaimer]").count() > 0
    reader.close()
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


# --- accessibility and valid HTML --------------------------------------------------------------
# The pages of the other pillars (Kurse, Vergleiche, Verstehe, Gewinne) meet the same checks.
PILLAR_PAGES = {
    "Kurse": "/kurse/",
    "Coin": "/kurse/bitcoin/",
    "Trends": "/trends/",
    "Vergleiche": "/vergleich/",
    "Börsenvergleich": "/vergleich/krypto-boersen/?eu=on",
    "Kostenrechner": "/vergleich/kostenrechner/?betrag=1000&coin=bitcoin&intervall=monatlich&dauer=12",
    "Methodik": "/vergleich/methodik/",
    "Lexikon": "/lexikon/",
    "Begriff": "/lexikon/bitcoin/",
    "Ratgeber": "/ratgeber/krypto-fuer-einsteiger/",
    "Kapitel": "/ratgeber/krypto-fuer-einsteiger/was-ist-bitcoin/",
    "Rechner": "/rechner/",
    "Sparplan": "/rechner/sparplan/?coin=bitcoin&betrag=100&intervall=monatlich&start=2020-01-01&ende=2024-12-31&gebuehr=1.0",
    "Gewinnrechner": "/rechner/gewinn/?kaufkurs=100&verkaufskurs=150&menge=1",
    "Steuerrechner": "/rechner/steuer/",
}


def test_pillar_pages_break_no_content_security_policy(stack, browser):
    """The CSP is strict (no inline scripts or styles); pages that violate it lose features."""
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text))
    for path in PILLAR_PAGES.values():
        page.goto(stack.url(path), wait_until="networkidle")
    context.close()
    assert [error for error in errors if "Content Security Policy" in error] == []


A11Y_PAGES = {
    "Startseite": "/",
    "Rubrik": "/neuigkeiten/",
    "Artikel": ARTICLE_PATH,
    "Suche": "/suche/?q=Bitcoin",
    "404": "/gibt-es-nicht/",
    "Admin-Anmeldung": "/admin/login/",
    **PILLAR_PAGES,
}


def test_no_serious_or_critical_accessibility_violations(stack, browser):
    assert AXE.exists(), "scripts/ensure-npm-tools.sh installiert axe-core"
    # axe-core is injected as a script; the page's CSP would (rightly) block that.
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    problems = {}
    for name, path in A11Y_PAGES.items():
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(stack.url(path))
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            )
            serious = [
                f"{v['id']} ({v['impact']}): {v['help']} – {v['nodes'][0]['target']}"
                for v in result
                if v["impact"] in ("serious", "critical")
            ]
            if serious:
                problems[f"{name} @{width}px"] = serious
    context.close()
    assert problems == {}


VALIDATED_PAGES = {
    "startseite": "/",
    "rubrik": "/neuigkeiten/",
    "artikel": ARTICLE_PATH,
    "thema": "/thema/bitcoin/",
    "suche": "/suche/?q=Bitcoin",
    "suche-leer": "/suche/",
    "impressum": "/impressum/",
    "404": "/gibt-es-nicht/",
    **{name.lower(): path for name, path in PILLAR_PAGES.items()},
}


def test_pages_pass_the_nu_html_checker(stack, tmp_path):
    assert VNU.exists(), "scripts/ensure-npm-tools.sh installiert vnu-jar"
    files = []
    for name, path in VALIDATED_PAGES.items():
        _, _, html = fetch(stack.url(path))
        file = tmp_path / f"{name}.html"
        file.write_text(html)
        files.append(str(file))
    author = re.search(r'href="(/autor/[^"]+/)"', fetch(stack.url(ARTICLE_PATH))[2]).group(1)
    (tmp_path / "autor.html").write_text(fetch(stack.url(author))[2])
    files.append(str(tmp_path / "autor.html"))
    result = subprocess.run(  # noqa: S603
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == []


# The checker's CSS validator predates container queries; everything else it reports counts.
CSS_CHECKER_UNSUPPORTED = ("“container-type”", "“@container”")


def test_stylesheets_pass_the_css_checker():
    """A broken rule (a stray merge marker, an unclosed block) silently drops every rule
    after it in the browser; the Nu checker's CSS mode finds it."""
    assert VNU.exists(), "scripts/ensure-npm-tools.sh installiert vnu-jar"
    stylesheets = sorted(
        str(path) for path in (Path(settings.BASE_DIR) / "kryptowelt").rglob("static/css/*.css")
    )
    assert stylesheets
    result = subprocess.run(  # noqa: S603
        ["java", "-jar", str(VNU), "--css", "--errors-only", "--format", "json", *stylesheets],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
        and not any(unsupported in m["message"] for unsupported in CSS_CHECKER_UNSUPPORTED)
    ]
    assert errors == []


# --- abuse limits (last: they lock 127.0.0.1 out for a while) --------------------------------
def _login_attempt(stack, username, password):
    opener = urllib.request.build_opener(
        NoRedirect, urllib.request.HTTPCookieProcessor(CookieJar())
    )
    _, _, html = fetch(stack.url("/admin/login/"), opener=opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return fetch(
        stack.url("/admin/login/"),
        method="POST",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": stack.url("/admin/login/")},
        opener=opener,
    )


def test_admin_login_locks_out_after_five_failures(stack):
    statuses = [_login_attempt(stack, "angreifer", f"falsch-{n}")[0] for n in range(5)]
    assert 429 not in statuses[:4]
    status, headers, html = _login_attempt(stack, "angreifer", "noch-einmal")
    assert status == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in html
    assert headers["Cache-Control"] == "private, no-store"


def test_public_posts_get_the_german_429_page_beyond_the_limit(stack):
    answers = [fetch(stack.url("/suche/"), method="POST", data={"q": "x"}) for _ in range(12)]
    status, headers, html = answers[-1]
    assert status == 429
    assert "Zu viele Anfragen" in html
    assert headers["Retry-After"] == "60"
    assert headers["Cache-Control"] == "private, no-store"
    assert headers.get("X-Cache-Status") != "HIT"
    # Readers behind the same address (a newsroom's NAT) do not lock the editors out.
    status, headers, _ = _login_attempt(stack, stack.admin_user, stack.admin_password)
    assert (status, headers["Location"]) == (302, "/admin/")


# --- edge limits (after everything else: they hold 127.0.0.1 back for a few seconds) ---------
def test_random_query_strings_and_get_floods_get_the_german_429_page_from_nginx(stack):
    assert fetch(stack.url("/"))[0] == 200  # the cached entry the flood below gets

    def random_query(number):
        return fetch(stack.url(f"/robots.txt?zufall={number}"))

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(random_query, range(120)))
    statuses = [status for status, _, _ in answers]
    assert statuses.count(200) >= 40  # the burst
    assert statuses.count(429) >= 20
    status, headers, body = next(answer for answer in answers if answer[0] == 429)
    assert "<h1>Zu viele Anfragen</h1>" in body and "<style>" in body
    assert headers["Retry-After"] == "10"
    assert headers.get("X-Cache-Status") is None  # nginx answered, not the app
    time.sleep(5)  # the limits refill (10 and 20 a second)
    # Plain cached pages: 20 a second, bursts of 100.
    with ThreadPoolExecutor(8) as pool:
        flood = list(pool.map(lambda _: fetch(stack.url("/"))[0], range(400)))
    assert flood.count(429) > 0 and flood.count(200) >= 100
    time.sleep(6)
    assert fetch(stack.url("/"))[0] == 200
