"""With SENTRY_DSN set, an unhandled error reaches Sentry – here a local HTTP endpoint that
stands in for Sentry and keeps the envelopes the SDK sends – without personal data."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from kryptowelt.settings.ops import sentry_init

pytestmark = pytest.mark.django_db


class _Collector(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.received.append((self.path, body.decode("utf-8", "replace")))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _wsgi_get(path: str, **environ) -> str:
    """GET through Django's WSGI handler, as gunicorn calls it (the test client skips the WSGI
    layer, where Sentry reads the request); the status line. Connections stay open, as the
    test client keeps them, so the test's transaction survives."""
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver", **environ}
    setup_testing_defaults(environ)
    statuses = []
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        handler = WSGIHandler()
        b"".join(handler(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return statuses[0]


def _events(received) -> list[dict]:
    events = []
    for _, envelope in received:
        for line in envelope.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and "exception" in item:
                events.append(item)
    return events


def test_an_unhandled_error_reaches_sentry_without_personal_data(sentry_endpoint, error_client):
    port = sentry_endpoint.server_address[1]
    sentry_init(
        dsn=f"http://oeffentlich@127.0.0.1:{port}/42",
        environment="pruefung",
        release="kryptowelt@2026.12.3",
        traces_sample_rate=0.0,
    )
    try:
        status = _wsgi_get(
            "/kaputt/",
            HTTP_COOKIE="sessionid=sitzung-geheim",
            HTTP_X_REQUEST_ID="req-77",
            REMOTE_ADDR="198.51.100.7",
        )
        assert status.startswith("500")
        sentry_sdk.flush(timeout=10)
    finally:
        sentry_sdk.init()  # no DSN: reporting off again for the other tests

    assert {path for path, _ in sentry_endpoint.received} == {"/api/42/envelope/"}
    [event] = _events(sentry_endpoint.received)
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ZeroDivisionError"
    assert event["environment"] == "pruefung"
    assert event["release"] == "kryptowelt@2026.12.3"
    assert event["request"]["url"] == "http://testserver/kaputt/"
    assert event["request"]["headers"]["X-Request-Id"] == "req-77"
    # Locals of the failing frames stay home (a tax upload's rows could be among them).
    assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])
    raw = "".join(envelope for _, envelope in sentry_endpoint.received)
    assert "sitzung-geheim" not in raw
    assert "198.51.100.7" not in raw
    assert "user" not in event or not event["user"].get("ip_address")
