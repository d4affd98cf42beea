"""Only a verified editor skips the caches; a forged cookie is served like any reader
(issue 13, finding 4)."""

import base64
import hashlib
import time

import pytest
from django.test import Client

from kryptowelt.caching.editors import derived_secret, editor_cookie_value

pytestmark = pytest.mark.django_db

FORGED_SESSIONS = ["abc", "k" * 32]


@pytest.fixture
def page_cache(settings):
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def editor_login(django_user_model):
    django_user_model.objects.create_superuser("chefin", "c@example.org", "Geheim-123456")

    def login() -> Client:
        client = Client()
        answer = client.post("/admin/login/", {"username": "chefin", "password": "Geheim-123456"})
        assert answer.status_code == 302
        return client

    return login


@pytest.mark.parametrize("session", FORGED_SESSIONS)
def test_a_forged_session_cookie_gets_the_cached_public_page(page_cache, article_factory, session):
    article = article_factory()
    for path in ("/", article.url):
        assert Client().get(path)["X-App-Cache"] == "MISS"
        forged = Client()
        forged.cookies["sessionid"] = session
        answer = forged.get(path)
        assert answer["X-App-Cache"] == "HIT", path
        assert answer["Cache-Control"].startswith("public"), path
        assert not answer.cookies, path


def test_a_forged_session_cookie_on_a_miss_still_makes_a_cacheable_page(page_cache, home):
    forged = Client()
    forged.cookies["sessionid"] = "abc"
    answer = forged.get("/")
    assert answer["X-App-Cache"] == "MISS"
    assert answer["Cache-Control"].startswith("public")
    assert not answer.cookies
    assert Client().get("/")["X-App-Cache"] == "HIT"  # what the forged request stored


@pytest.mark.parametrize(
    "value",
    [
        "x",
        f"{int(time.time()) + 3600}.{'A' * 22}",  # wrong signature
        editor_cookie_value(expires=int(time.time()) - 1),  # expired
    ],
)
def test_a_forged_or_expired_editor_cookie_changes_nothing(page_cache, home, value):
    Client().get("/")
    forged = Client()
    forged.cookies["kw_editor"] = value
    answer = forged.get("/")
    assert answer["X-App-Cache"] == "HIT"
    assert answer["Cache-Control"].startswith("public")


def test_a_logged_in_editor_sees_the_live_page_and_loses_the_cookie_on_logout(
    page_cache, article_factory, editor_login
):
    article = article_factory()
    Client().get(article.url)
    editor = editor_login()
    cookie = editor.cookies["kw_editor"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    answer = editor.get(article.url)
    assert "X-App-Cache" not in answer
    assert answer["Cache-Control"] == "private, no-store"
    editor.post("/admin/logout/")
    assert editor.cookies["kw_editor"].value == ""
    assert editor.get(article.url)["X-App-Cache"] == "HIT"


def test_the_editor_cookie_is_what_nginx_secure_link_verifies(settings):
    """nginx: secure_link_md5 "$secure_link_expires:<secret>" (deploy/nginx.conf)."""
    settings.KRYPTOWELT_EDITOR_COOKIE_SECRET = ""
    settings.SECRET_KEY = "ein-geheimer-schluessel-fuer-diesen-test-" * 2
    expires = 2_000_000_000
    secret = derived_secret(settings.SECRET_KEY)
    md5 = hashlib.md5(f"{expires}:{secret}".encode()).digest()  # noqa: S324
    expected = base64.urlsafe_b64encode(md5).decode().rstrip("=")
    assert editor_cookie_value(expires=expires) == f"{expires}.{expected}"
    settings.KRYPTOWELT_EDITOR_COOKIE_SECRET = "aus-der-umgebung"
    assert editor_cookie_value(expires=expires) != f"{expires}.{expected}"
