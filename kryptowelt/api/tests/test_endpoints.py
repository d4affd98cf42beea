"""What a reuser of the API sees, through the HTTP client, on the hand-made site of
conftest.py: the endpoints' content, filters and pages, and that nothing unpublished or
personal leaves the house."""

import csv
import io
import json

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def get(client, path, **params):
    return client.get(f"/api/v1/{path}", params)


def test_index_lists_every_collection(client, api_site):
    data = get(client, "").json()
    assert data["name"] == "Kryptowelt API"
    for name in ("articles", "sections", "topics", "lexicon", "guides", "coins", "providers"):
        assert name in data["endpoints"]
        assert client.get(data["endpoints"][name].split("testserver")[-1]).status_code == 200


def test_article_list_shows_only_published_public_articles(client, api_site):
    data = get(client, "articles/").json()
    titles = {item["title"] for item in data["items"]}
    assert titles == {"Bitcoin-Börsen unter Aufsicht", "Wallet sicher einrichten"}
    assert data["count"] == 2
    # No personal data: authors by name and slug only.
    body = json.dumps(data)
    assert "@" not in body and "password" not in body


def test_article_filters(client, api_site):
    def titles(**params):
        return [item["title"] for item in get(client, "articles/", **params).json()["items"]]

    assert titles(section="tipps") == ["Wallet sicher einrichten"]
    assert titles(topic="regulierung") == ["Bitcoin-Börsen unter Aufsicht"]
    assert titles(author="max-mustermann") == ["Wallet sicher einrichten"]
    since = timezone.localdate(api_site["news"].first_published_at).isoformat()
    assert titles(since=since) == ["Bitcoin-Börsen unter Aufsicht"]
    assert titles(until=since) == ["Bitcoin-Börsen unter Aufsicht", "Wallet sicher einrichten"]
    # German word forms: "Börse" finds "Börsen".
    assert titles(q="Börse") == ["Bitcoin-Börsen unter Aufsicht"]


@pytest.mark.parametrize("value", ["-9.433500696272368e-208", "1700000000", "2026-1-5", "morgen"])
def test_a_date_filter_takes_only_a_date(client, api_site, value):
    """A number was read as a Unix time (found by the schema fuzz test: `until=-9.4e-208`
    filtered by 1 January 1970); the OpenAPI document promises JJJJ-MM-TT."""
    for name in ("since", "until"):
        response = client.get("/api/v1/articles/", {name: value})
        assert response.status_code == 422, (name, value)
        assert "JJJJ-MM-TT" in response.json()["detail"]


def test_article_pages(client, api_site):
    first = get(client, "articles/", limit=1).json()
    assert first["count"] == 2 and len(first["items"]) == 1 and first["previous"] is None
    second = client.get(first["next"].split("testserver")[-1]).json()
    assert second["next"] is None and second["previous"]
    assert first["items"][0]["id"] != second["items"][0]["id"]


def test_article_detail_has_clean_html_and_blocks(client, api_site):
    article = api_site["news"]
    data = get(client, f"articles/{article.pk}/").json()
    assert data["title"] == article.title
    assert "<h2" in data["body_html"] and "<script" not in data["body_html"]
    assert {block["type"] for block in data["body"]} >= {"heading"}
    assert data["related_url"].endswith(f"/api/v1/articles/{article.pk}/related/")
    assert get(client, f"articles/{article.pk}/related/").status_code == 200


@pytest.mark.parametrize("which", ["draft", "private"])
def test_unpublished_and_protected_articles_are_not_found(client, api_site, which):
    response = get(client, f"articles/{api_site[which].pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"].startswith("Diesen Artikel gibt es nicht")


def test_sections_topics_authors(client, api_site):
    sections = {item["slug"] for item in get(client, "sections/").json()["items"]}
    assert {"neuigkeiten", "tipps"} <= sections
    topics = {item["slug"] for item in get(client, "topics/").json()["items"]}
    assert {"bitcoin", "regulierung", "wallet"} <= topics
    assert "ether" not in topics  # only the draft carries it
    authors = {item["slug"] for item in get(client, "authors/").json()["items"]}
    assert authors == {"erika-musterfrau", "max-mustermann"}


def test_lexicon_and_guides(client, api_site):
    terms = get(client, "lexicon/").json()
    assert {item["slug"] for item in terms["items"]} == {"blockchain", "wallet"}
    term = get(client, "lexicon/blockchain/").json()
    assert term["title"] == "Blockchain"
    assert get(client, "lexicon/gibt-es-nicht/").status_code == 404
    guides = get(client, "guides/").json()["items"]
    assert len(guides) == 1
    guide = get(client, f"guides/{guides[0]['slug']}/").json()
    assert guide["chapters"]
    chapter = guide["chapters"][0]
    answer = get(client, f"guides/{guides[0]['slug']}/chapters/{chapter['slug']}/")
    assert answer.status_code == 200


def test_coins_with_prices_and_history(client, api_site):
    coins = get(client, "coins/").json()
    bitcoin = coins["items"][0]
    assert bitcoin["id"] == "bitcoin"
    assert bitcoin["price_eur"] == pytest.approx(30123.45)
    assert bitcoin["as_of"]
    detail = get(client, "coins/bitcoin/").json()
    assert detail["id"] == "bitcoin"
    history = get(client, "coins/bitcoin/history/", range="1m").json()
    assert 28 <= len(history["points"]) <= 32
    assert history["points"][-1]["close_eur"] > history["points"][0]["close_eur"]
    assert history["status"]["source"]
    as_csv = get(client, "coins/bitcoin/history/", range="max", format="csv")
    assert as_csv["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert len(rows) == 400 + 1  # header and one row per synthetic day
    missing = get(client, "coins/gibtsnicht/")
    assert missing.status_code == 404 and missing["Content-Type"] == PROBLEM


def test_providers_with_sources_and_check_dates(client, api_site):
    providers = get(client, "providers/").json()["items"]
    assert {item["slug"] for item in providers} == {"testboerse-eins", "testbroker-zwei"}
    detail = get(client, "providers/testboerse-eins/").json()
    taker = next(item for item in detail["figures"] if item["key"] == "taker_pct")
    assert taker["value"] == pytest.approx(0.25)
    assert taker["unit"]
    assert taker["source"].startswith("http")
    assert taker["checked"]
    broker = get(client, "providers/testbroker-zwei/").json()
    # A figure the provider does not disclose is listed as such, with no value.
    spread = next(item for item in broker["figures"] if item["key"] == "spread_pct")
    assert spread["unpublished"] is True and spread["value"] is None
    method = get(client, "score-method/").json()
    assert method
