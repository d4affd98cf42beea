"""/metrics as Prometheus scrapes it, and as a stranger trying to read it meets it."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kryptowelt.markets.services.sync import coin_markets_sync
from kryptowelt.markets.tests.fakes import make_client, markets_api

pytestmark = pytest.mark.django_db


def _scrape(client, **extra) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def _value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_by_what_answered_not_by_path(client, article_factory):
    article = article_factory(title="Bitcoin steigt")
    before = _scrape(client)
    for _ in range(3):
        assert client.get(article.url).status_code == 200
    assert client.get("/suche/", {"q": "Bitcoin"}).status_code == 200
    assert client.get("/gibt-es-nicht-123/").status_code == 404
    after = _scrape(client)

    def grew(kind, status="2xx"):
        labels = {"kind": kind, "method": "GET", "status": status}
        return _value(after, "kryptowelt_http_requests_total", **labels) - _value(
            before, "kryptowelt_http_requests_total", **labels
        )

    assert grew("page:ArticlePage") == 3
    assert grew("view:search") == 1
    assert grew("page", "4xx") + grew("unresolved", "4xx") == 1
    assert (
        _value(after, "kryptowelt_http_request_duration_seconds_count", kind="page:ArticlePage")
        - _value(before, "kryptowelt_http_request_duration_seconds_count", kind="page:ArticlePage")
        == 3
    )
    names = {name for name, _ in after}
    assert not any(article.slug in str(labels) for _, labels in after), "raw paths as labels"
    assert "kryptowelt_up" in names


def test_page_cache_hits_and_misses_are_counted(client, settings, article_factory):
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300
    article = article_factory(title="Ethereum im Wandel")
    before = _scrape(client)
    assert client.get(article.url)["X-App-Cache"] == "MISS"
    assert client.get(article.url)["X-App-Cache"] == "HIT"
    assert client.get(article.url)["X-App-Cache"] == "HIT"
    after = _scrape(client)
    hits = _value(after, "kryptowelt_page_cache_total", result="hit")
    misses = _value(after, "kryptowelt_page_cache_total", result="miss")
    assert hits - _value(before, "kryptowelt_page_cache_total", result="hit") == 2
    assert misses - _value(before, "kryptowelt_page_cache_total", result="miss") == 1
    labels = {"kind": "page_cache", "method": "GET", "status": "2xx"}
    assert (
        _value(after, "kryptowelt_http_requests_total", **labels)
        - _value(before, "kryptowelt_http_requests_total", **labels)
        == 2
    )


def test_queue_and_market_data_ages_are_exported(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    samples = _scrape(client)
    assert _value(samples, "kryptowelt_task_queue_length") == 0
    assert ("kryptowelt_data_age_seconds", (("of", "market_sync"),)) not in samples  # never
    coin_markets_sync(client=make_client(markets_api()))  # queues the logo download
    samples = _scrape(client)
    assert _value(samples, "kryptowelt_task_queue_length") >= 1
    assert 0 <= _value(samples, "kryptowelt_task_queue_oldest_age_seconds") < 60
    assert 0 <= _value(samples, "kryptowelt_data_age_seconds", of="market_sync") < 60
    assert 0 <= _value(samples, "kryptowelt_data_age_seconds", of="market_data") < 60


@pytest.mark.parametrize(
    ("meta", "header"),
    [
        ({"REMOTE_ADDR": "203.0.113.9"}, ""),
        # Straight to the app from outside, claiming to be local.
        ({"REMOTE_ADDR": "203.0.113.9", "HTTP_X_REAL_IP": "127.0.0.1"}, "HTTP_X_REAL_IP"),
        # Through nginx (peer 127.0.0.1), which put the reader's real address in X-Real-IP.
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9"}, "HTTP_X_REAL_IP"),
        # A forged X-Forwarded-For: nginx appends the real address, the app reads the last.
        (
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "127.0.0.1, 203.0.113.9"},
            "HTTP_X_FORWARDED_FOR",
        ),
    ],
)
def test_other_addresses_get_a_404_page(client, settings, home, meta, header):
    settings.KRYPTOWELT_CLIENT_IP_HEADER = header
    response = client.get("/metrics", **meta)
    assert response.status_code == 404
    body = response.content.decode()
    assert "kryptowelt_" not in body
    assert "<h1" in body  # the site's own 404 page, as for any address that has nothing


def test_allowed_networks_from_the_setting(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.20.0.0/16"]
    settings.KRYPTOWELT_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    # Prometheus at 10.20.3.4 straight to gunicorn on a private network.
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1/32", "::1/128"]
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::ffff:127.0.0.1").status_code == 200
