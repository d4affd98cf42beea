"""Request ids shared by nginx and the app, JSON log lines, progress bars only on a terminal."""

import io
import json
import logging
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command

from kryptowelt.ops.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured():
    """Log records of the request, formatted as JSON like LOG_FORMAT=json does."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("kryptowelt")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def _lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_the_id_nginx_sends_comes_back_and_is_in_every_log_line(client, captured):
    nginx_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    # A readiness check that fails logs why (kryptowelt.ops.health).
    with mock.patch.object(cache, "set", side_effect=ConnectionError("weg")):
        response = client.get("/readyz", headers={"X-Request-ID": nginx_id})
    assert response.status_code == 503
    assert response["X-Request-ID"] == nginx_id
    logging.getLogger("kryptowelt.test").info("nach der Anfrage")
    lines = _lines(captured)
    assert lines[-1]["request_id"] == "-"  # outside any request
    during = lines[:-1]
    assert during and "Cache nicht erreichbar" in during[0]["message"]
    assert {line["request_id"] for line in during} == {nginx_id}
    assert "ConnectionError: weg" in during[0]["exception"]


@pytest.mark.parametrize(
    "sent",
    ["", "a" * 65, "abc def", "abc\r\nX-Evil: 1", "<script>", "ä-umlaut"],
)
def test_a_malformed_id_is_replaced_by_a_new_one(client, sent):
    response = client.get("/healthz", headers={"X-Request-ID": sent} if sent else {})
    new = response["X-Request-ID"]
    assert new != sent and len(new) == 32 and new.isalnum()
    assert client.get("/healthz")["X-Request-ID"] != new


def test_json_lines_carry_level_logger_message_and_traceback():
    record = logging.LogRecord(
        "kryptowelt.x", logging.ERROR, __file__, 1, "Kaputt: %s", ("ä",), None
    )
    try:
        raise ValueError("innen")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["logger"] == "kryptowelt.x"
    assert line["message"] == "Kaputt: ä" and line["request_id"] == "-"
    assert "ValueError: innen" in line["exception"]
    assert line["time"].endswith("+00:00")


def test_progress_bars_stay_off_when_output_is_not_a_terminal(capsys, article_factory):
    article_factory(title="Bitcoin steigt")
    article_factory(title="Bitcoin fällt")
    call_command("related_rebuild")
    err = capsys.readouterr().err
    assert "it/s" not in err and "█" not in err and "Artikel/s" not in err, err
