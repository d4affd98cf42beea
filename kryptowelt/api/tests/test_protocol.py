"""The API as a public API, through the HTTP client: a stable, valid OpenAPI document, a docs
page with nothing from another host, read-only (every other method is refused everywhere),
CORS for reading, ETag/Cache-Control with 304, German RFC 7807 problems, and the rate limit
with 429 and Retry-After."""

import json
import re

import pytest
from django.core.cache import cache
from openapi_spec_validator import validate

from kryptowelt.api.management.commands.api_openapi import COMMITTED, openapi_text

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
WRITE_METHODS = ("post", "put", "patch", "delete")


def _committed() -> dict:
    return json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_served_document_is_the_committed_one_and_valid(client, home):
    """A change of the public interface must show up as a diff of openapi.json
    (`make api-schema` writes it)."""
    assert openapi_text() == COMMITTED.read_text(encoding="utf-8")
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json() == _committed()
    validate(served.json())
    assert served.json()["openapi"].startswith("3.1")


def test_docs_page_loads_nothing_from_another_host(client, home):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Offene Daten: die Kryptowelt-API" in html
    assert "/api/v1/articles/" in html
    # Absolute addresses only to our own host (the canonical link), none elsewhere.
    absolute = re.findall(r'(?:src|href)="((?:https?:)?//[^"/]+)', html)
    assert {url.split("//", 1)[1] for url in absolute} <= {"testserver"}
    assert "cdn" not in html.lower()


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_no_write_method_is_reachable_anywhere(client, home):
    paths = [_concrete(path) for path in _committed()["paths"]]
    paths += ["/api/v1/docs/", "/api/v1/openapi.json", "/api/v1/gibt-es-nicht/"]
    for path in paths:
        for method in WRITE_METHODS:
            response = getattr(client, method)(path, data="{}", content_type="application/json")
            assert response.status_code == 405, (method, path, response.status_code)
            assert response["Content-Type"] == PROBLEM
            assert response["Allow"] == "GET, HEAD, OPTIONS"
    # And the document declares nothing but reading.
    methods = {method for operations in _committed()["paths"].values() for method in operations}
    assert methods == {"get"}


def test_editor_session_does_not_make_drafts_visible(client, admin_user, article_factory):
    draft = article_factory(title="Noch nicht veröffentlicht")
    draft.unpublish()
    client.force_login(admin_user)
    assert client.get(f"/api/v1/articles/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/pages/{draft.pk}/").status_code == 404


def test_cors_allows_reading_only(client, home):
    response = client.get("/api/v1/sections/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/sections/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="DELETE",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD"


def test_etag_and_cache_control(client, article_factory):
    article_factory(title="Ein Artikel zum Cachen")
    response = client.get("/api/v1/articles/")
    etag = response["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{24}"', etag)
    # A list without query is purged on publish: the proxy may keep it long.
    assert "s-maxage=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    again = client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    # Prices change without a publish: kept briefly only.
    coins = client.get("/api/v1/coins/")
    seconds = int(re.search(r"s-maxage=(\d+)", coins["Cache-Control"]).group(1))
    assert seconds <= 300
    # A new article changes the list and its tag.
    article_factory(title="Noch ein Artikel")
    assert client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    # Errors are never cached.
    assert client.get("/api/v1/articles/?limit=0")["Cache-Control"] == "private, no-store"


def test_answers_come_from_the_cache_until_content_changes(client, settings, article_factory):
    settings.KRYPTOWELT_API_CACHE_SECONDS = 300
    cache.clear()
    article_factory(title="Erster Artikel")
    first = client.get("/api/v1/articles/").json()
    assert first["count"] == 1
    article_factory(title="Zweiter Artikel")  # publishing changes the content scope
    assert client.get("/api/v1/articles/").json()["count"] == 2


def test_invalid_parameters_get_a_german_problem(client, home):
    response = client.get("/api/v1/articles/?limit=500&since=gestern")
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] == "Ungültige Parameter"
    assert "„limit“ darf höchstens 100 sein" in problem["detail"]
    assert "„since“ ist kein gültiges Datum" in problem["detail"]
    assert {tuple(error["loc"]) for error in problem["errors"]} >= {
        ("query", "limit"),
        ("query", "since"),
    }


def test_unknown_address_is_a_problem_not_a_page(client, home):
    response = client.get("/api/v1/gibt-es-nicht/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert "gibt es in der API nicht" in response.json()["detail"]
    missing = client.get("/api/v1/sections/gibt-es-nicht/")
    assert missing.status_code == 404
    assert client.get("/api/v1/sections").status_code == 301


def test_rate_limit_answers_429_with_retry_after(client, settings, home):
    settings.KRYPTOWELT_API_RATE = "3/m"
    cache.clear()
    statuses = [client.get("/api/v1/sections/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/sections/")
    assert limited["Content-Type"] == PROBLEM
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["Cache-Control"] == "private, no-store"
    assert "Zu viele Anfragen" in limited.json()["detail"]
    # Another address is not affected.
    assert client.get("/api/v1/sections/", REMOTE_ADDR="192.0.2.7").status_code == 200
