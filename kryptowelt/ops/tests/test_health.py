"""/healthz and /readyz as a load balancer, a supervisor and an operator's curl meet them."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kryptowelt.markets.services.sync import coin_markets_sync
from kryptowelt.markets.tasks import article_mentions_detect
from kryptowelt.markets.tests.fakes import make_client, markets_api
from kryptowelt.ops import health

pytestmark = pytest.mark.django_db

CHECKS = {"database", "cache", "migrations", "tasks", "market_data", "market_sync"}


@pytest.fixture
def fresh_market_data():
    coin_markets_sync(client=make_client(markets_api()))


@pytest.fixture(autouse=True)
def database_tasks(settings):
    # Tests run tasks inline; readiness looks at the database queue of production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _ready(client):
    response = client.get("/readyz")
    return response, json.loads(response.content)


def test_healthz_answers_without_database_or_cache(client, django_assert_num_queries):
    with (
        django_assert_num_queries(0),
        mock.patch.object(cache, "get", side_effect=RuntimeError),
    ):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_readyz_is_green_with_every_check_named(client, fresh_market_data):
    response, body = _ready(client)
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECKS
    assert all(check["ok"] for check in body["checks"].values()), body
    assert body["checks"]["market_data"]["age_seconds"] < 60
    # The sync queued its logo download a moment ago (seconds on a loaded machine).
    assert body["checks"]["tasks"]["ok"] is True
    assert 0 <= body["checks"]["tasks"]["age_seconds"] < 60
    assert response["Cache-Control"] == "no-store"


def test_readyz_is_red_while_the_database_is_unreachable_and_green_after(client, fresh_market_data):
    connection = connections["default"]
    refused = OperationalError("connection to server at 10.1.2.3 port 5432 failed: secret")
    with mock.patch.object(connection, "ensure_connection", side_effect=refused):
        response, body = _ready(client)
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False}
    assert body["checks"]["cache"] == {"ok": True}
    # Nothing of the error reaches the reader: no host, no port, no message.
    text = response.content.decode()
    assert "10.1.2.3" not in text and "5432" not in text and "secret" not in text
    assert response["Cache-Control"] == "no-store"

    response, body = _ready(client)
    assert response.status_code == 200, body


def test_readyz_is_red_while_the_cache_fails_and_green_after(client, fresh_market_data):
    with mock.patch.object(cache, "set", side_effect=ConnectionError("redis://10.0.0.7:6379")):
        response, body = _ready(client)
    assert response.status_code == 503
    assert body["checks"]["cache"] == {"ok": False}
    assert "10.0.0.7" not in response.content.decode()
    # A cache that loses what it was given (Redis's circuit breaker: every write a no-op).
    with mock.patch.object(cache, "get", return_value=None):
        assert _ready(client)[0].status_code == 503
    assert _ready(client)[0].status_code == 200


def test_readyz_is_red_when_market_data_is_too_old(client, settings, fresh_market_data):
    settings.KRYPTOWELT_READINESS_AGES = {**settings.KRYPTOWELT_READINESS_AGES, "market_data": 60}
    later = timezone.now() + dt.timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response, body = _ready(client)
    assert response.status_code == 503
    assert body["checks"]["market_data"]["ok"] is False
    assert 290 <= body["checks"]["market_data"]["age_seconds"] <= 310


def test_readyz_is_red_without_any_market_data(client):
    response, body = _ready(client)
    assert response.status_code == 503
    assert body["checks"]["market_data"] == {"ok": False, "age_seconds": None}


def test_a_check_not_required_is_only_reported(client, settings):
    settings.KRYPTOWELT_READINESS_REQUIRED = ["database", "cache", "migrations", "tasks"]
    response, body = _ready(client)
    assert response.status_code == 200
    assert body["checks"]["market_data"]["ok"] is False


def test_readyz_is_red_while_tasks_wait_too_long(client, settings, fresh_market_data):
    settings.KRYPTOWELT_READINESS_AGES = {**settings.KRYPTOWELT_READINESS_AGES, "tasks": 120}
    DBTaskResult.objects.all().delete()
    result = article_mentions_detect.enqueue(0)
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=10)
    )
    response, body = _ready(client)
    assert response.status_code == 503
    assert body["checks"]["tasks"]["ok"] is False
    assert 595 <= body["checks"]["tasks"]["age_seconds"] <= 605
    # A worker runs it: green again.
    DBTaskResult.objects.filter(id=result.id).update(status="SUCCESSFUL")
    assert _ready(client)[0].status_code == 200


def test_readyz_is_red_while_migrations_are_missing(client, fresh_market_data):
    with (
        mock.patch.object(health, "_migrations_applied", False),
        mock.patch(
            "django.db.migrations.executor.MigrationExecutor.migration_plan",
            return_value=[("a migration", False)],
        ),
    ):
        response, body = _ready(client)
    assert response.status_code == 503
    assert body["checks"]["migrations"] == {"ok": False}


def test_readyz_never_comes_from_the_page_cache(client, settings, fresh_market_data):
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300
    assert _ready(client)[0].status_code == 200
    DBTaskResult.objects.all().delete()
    with mock.patch.object(cache, "set", side_effect=ConnectionError):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert "X-App-Cache" not in response


def test_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


def test_a_red_readyz_is_logged_not_mailed(error_client, settings, mailoutbox):
    settings.ADMINS = [("Betrieb", "ops@kryptowelt.example")]
    with mock.patch.object(cache, "set", side_effect=ConnectionError):
        responses = [error_client.get("/readyz") for _ in range(3)]
    assert {response.status_code for response in responses} == {503}
    # A monitor polls every few seconds while Redis is away: no mail per poll.
    assert mailoutbox == []
