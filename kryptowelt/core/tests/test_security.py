"""Security headers, admin lockout, public POST limits, and editors' HTML that cannot run."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


class _ActiveContent(HTMLParser):
    """Everything in a page that a browser would run or style inline."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name == "style":
                self.problems.append(f"<{tag} style>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                ("javascript:", "data:text")
            ):
                self.problems.append(f"<{tag} {name}={value}>")
        inline_script = tag == "script" and "src" not in attributes
        if inline_script and attributes.get("type") != "application/ld+json":
            self.problems.append("<script> inline")
        if tag in ("style", "svg", "object", "embed", "base"):
            self.problems.append(f"<{tag}>")


def active_content(html: str) -> list[str]:
    parser = _ActiveContent()
    parser.feed(html)
    return parser.problems


def _directives(header: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in header.split(";")
        if part.strip()
    }


def test_public_pages_send_a_strict_policy_and_the_other_security_headers(client, article_factory):
    article = article_factory()
    for url in ("/", "/neuigkeiten/", article.url, "/suche/?q=Bitcoin", "/gibt-es-nicht/"):
        response = client.get(url)
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == "'self'", url
        assert policy["style-src"].split()[0] == "'self'", url
        assert policy["frame-ancestors"] == "'none'", url
        assert policy["object-src"] == "'none'", url
        assert "unsafe" not in response["Content-Security-Policy"], url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_error_pages_use_the_site_stylesheet_and_the_policy_allows_no_inline_style(client, home):
    from django.test import RequestFactory

    from kryptowelt.core.errors import server_error

    html = server_error(RequestFactory().get("/")).content.decode()
    assert "<style" not in html
    assert re.search(r'<link rel="stylesheet" href="/static/css/site\.css">', html)
    assert _directives(client.get("/")["Content-Security-Policy"])["style-src"] == "'self'"


def test_admin_has_its_own_policy_without_eval(client):
    response = client.get("/admin/login/")
    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'self'"
    assert policy["default-src"] == "'self'"


def test_every_public_page_is_free_of_inline_scripts_and_styles(client, article_factory):
    article = article_factory(body="## Zwischentitel\n\nText mit **fett**.")
    for url in ("/", "/neuigkeiten/", article.url, "/suche/?q=Bitcoin", "/gibt-es-nicht/"):
        assert active_content(client.get(url).content.decode()) == [], url


# --- rate limit on public POSTs --------------------------------------------------------------
FROZEN = dt.datetime(2026, 3, 2, 10, 0, 30, tzinfo=dt.UTC)


@time_machine.travel(FROZEN, tick=False)
def test_public_posts_beyond_the_limit_get_the_german_429_page(client, home, settings):
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "3/m"
    statuses = [client.post("/suche/", {"q": "x"}).status_code for _ in range(3)]
    assert 429 not in statuses
    response = client.post("/suche/", {"q": "x"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "Zu viele Anfragen" in html and "versuchen Sie es" in html
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "private, no-store"
    # Reading is never limited, and another address has its own allowance.
    assert client.get("/").status_code == 200
    assert client.post("/suche/", REMOTE_ADDR="192.0.2.7").status_code != 429


@time_machine.travel(FROZEN, tick=False)
def test_rate_limit_counts_the_address_the_proxy_reports(client, home, settings):
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "2/m"
    settings.KRYPTOWELT_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(2):
        client.post("/suche/", HTTP_X_REAL_IP="198.51.100.1")
    assert client.post("/suche/", HTTP_X_REAL_IP="198.51.100.1").status_code == 429
    assert client.post("/suche/", HTTP_X_REAL_IP="198.51.100.2").status_code != 429


@time_machine.travel(FROZEN, tick=False)
def test_logged_in_editors_are_not_rate_limited(client, home, settings):
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "1/m"
    editor = get_user_model().objects.create_superuser("chefin", "c@example.org", "x")
    client.force_login(editor)
    assert all(client.post("/suche/").status_code != 429 for _ in range(3))


@time_machine.travel(FROZEN, tick=False)
def test_readers_posts_from_one_address_never_lock_the_editors_out(client, home, settings):
    """A newsroom's NAT: readers exhaust the reader limit, the editor still logs in."""
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "3/m"
    get_user_model().objects.create_superuser("redakteurin", "r@example.org", "richtig-123")
    for _ in range(5):
        client.post("/suche/", {"q": "x"}, REMOTE_ADDR="203.0.113.9")
    assert client.post("/suche/", {"q": "x"}, REMOTE_ADDR="203.0.113.9").status_code == 429

    login = client.post(
        "/admin/login/",
        {"username": "redakteurin", "password": "richtig-123"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert login.status_code == 302
    assert client.get("/admin/").status_code == 200


@time_machine.travel(FROZEN, tick=False)
def test_admin_logins_do_not_count_against_the_readers_limit(client, home, settings):
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "3/m"
    for number in range(6):
        client.post("/admin/login/", {"username": f"person{number}", "password": "falsch"})
    assert client.post("/suche/", {"q": "x"}).status_code != 429


@time_machine.travel(FROZEN, tick=False)
def test_admin_login_is_limited_per_user_name_and_address(client, home, settings):
    settings.KRYPTOWELT_ADMIN_LOGIN_RATE = "3/m"
    get_user_model().objects.create_superuser("kollege", "k@example.org", "auch-richtig-1")
    for _ in range(3):
        client.post("/admin/login/", {"username": "angreifer", "password": "falsch"})
    refused = client.post("/admin/login/", {"username": "Angreifer", "password": "falsch"})
    assert refused.status_code == 429
    assert "Zu viele Anfragen" in refused.content.decode()
    # Another user name from the same address, and the same name from elsewhere, go on.
    other = client.post("/admin/login/", {"username": "kollege", "password": "auch-richtig-1"})
    assert other.status_code == 302
    elsewhere = client.post(
        "/admin/login/", {"username": "angreifer", "password": "x"}, REMOTE_ADDR="192.0.2.99"
    )
    assert elsewhere.status_code != 429


@time_machine.travel(FROZEN, tick=False)
def test_admin_login_has_an_overall_limit_per_address(client, home, settings):
    """Trying many user names from one address (password spraying) meets a limit too."""
    settings.KRYPTOWELT_ADMIN_LOGIN_ADDRESS_RATE = "4/m"
    statuses = [
        client.post("/admin/login/", {"username": f"name{n}", "password": "x"}).status_code
        for n in range(5)
    ]
    assert 429 not in statuses[:4]
    assert statuses[4] == 429


# --- brute-force lockout on the admin login --------------------------------------------------
def test_admin_login_locks_out_after_repeated_failures_with_a_german_message(
    client, home, settings
):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_superuser("redakteurin", "r@example.org", "richtig-123")
    for _ in range(3):
        response = client.post(
            "/admin/login/", {"username": "redakteurin", "password": "falsch"}, follow=False
        )
    # Even the right password is refused now.
    response = client.post("/admin/login/", {"username": "redakteurin", "password": "richtig-123"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in html
    assert 'name="password"' in html  # still the login page
    assert response["Cache-Control"] == "private, no-store"
    # Another user from the same address is not locked out.
    get_user_model().objects.create_superuser("kollege", "k@example.org", "auch-richtig-1")
    other = client.post("/admin/login/", {"username": "kollege", "password": "auch-richtig-1"})
    assert other.status_code == 302


def test_successful_login_works_when_axes_is_on(client, home, settings):
    settings.AXES_ENABLED = True
    get_user_model().objects.create_superuser("chef", "c@example.org", "passwort-123")
    response = client.post("/admin/login/", {"username": "chef", "password": "passwort-123"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# --- editors' HTML ---------------------------------------------------------------------------
HOSTILE = (
    '<p>Harmlos<script>alert("s")</script><img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(2)">Klick</a> <a href="https://example.org/" onclick="alert(3)">'
    'Quelle</a><iframe src="https://evil.example/"></iframe><b style="color:red">fett</b>'
    '<svg onload="alert(4)"></svg></p>'
)


def _publish_body(article, body):
    article.body = body
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def _assert_inert(html: str) -> None:
    assert active_content(html) == []
    assert "evil.example" not in html


def test_hostile_html_in_rich_text_is_removed_when_rendered(client, article_factory):
    article = _publish_body(
        article_factory(),
        [
            {"type": "paragraph", "value": HOSTILE},
            {"type": "tip", "value": {"title": "Tipp", "text": HOSTILE}},
        ],
    )
    html = client.get(article.url).content.decode()
    _assert_inert(html)
    # What is allowed survives.
    assert "Harmlos" in html and '<a href="https://example.org/">Quelle</a>' in html
    assert "<b>fett</b>" in html


def test_hostile_embed_html_keeps_only_a_https_iframe(client, article_factory):
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    url = "https://www.youtube.com/watch?v=hostile"
    Embed.objects.create(
        url=url,
        hash=get_embed_hash(url),
        type="video",
        html=(
            '<iframe src="https://www.youtube-nocookie.com/embed/x" onload="alert(1)"></iframe>'
            '<script>alert(2)</script><img src=x onerror="alert(3)">'
            '<iframe src="javascript:alert(4)"></iframe>'
        ),
        title='Video <script>alert("t")</script>',
        provider_name="YouTube",
    )
    article = _publish_body(
        article_factory(), [{"type": "embed", "value": {"embed": url, "caption": "Ein Video"}}]
    )
    html = client.get(article.url).content.decode()
    _assert_inert(html)
    assert 'src="https://www.youtube-nocookie.com/embed/x"' in html
    assert "&lt;script&gt;" in html  # the title is shown as text


def test_hostile_title_and_teaser_are_escaped(client, article_factory):
    article = article_factory(
        title='Kurs <script>alert("x")</script> steigt', teaser='<img src=x onerror="alert(1)">'
    )
    html = client.get(article.url).content.decode()
    _assert_inert(html)
    assert "Kurs &lt;script&gt;" in html
