"""Several caching proxies (one per app node, FRONTEND_CACHE_PURGE_URLS): a publish purges
every one of them, and a dead one is logged without keeping the others stale.

The proxies are small HTTP servers on loopback that record the PURGE requests they get."""

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kryptowelt.settings.http_caching import frontend_cache_backends, frontend_cache_purge_targets

pytestmark = pytest.mark.django_db


class _PurgeRecorder(BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.server.received.append((self.path, self.headers["Host"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def fake_proxy():
    servers = []

    def start():
        server = ThreadingHTTPServer(("127.0.0.1", 0), _PurgeRecorder)
        server.received = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _dead_port() -> int:
    """A loopback port nobody listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_purge_targets_come_from_the_list_and_the_old_single_variable(monkeypatch):
    monkeypatch.setenv(
        "FRONTEND_CACHE_PURGE_URLS", "http://10.0.0.1/__purge, http://10.0.0.2/__purge"
    )
    monkeypatch.setenv("FRONTEND_CACHE_PURGE_URL", "http://10.0.0.1/__purge")
    assert frontend_cache_purge_targets() == ["http://10.0.0.1/__purge", "http://10.0.0.2/__purge"]
    monkeypatch.delenv("FRONTEND_CACHE_PURGE_URLS")
    monkeypatch.setenv("FRONTEND_CACHE_PURGE_URL", "http://127.0.0.1:8080/__purge")
    assert frontend_cache_purge_targets() == ["http://127.0.0.1:8080/__purge"]
    backends = frontend_cache_backends(["http://a/__purge", "http://b/__purge"], ["www.x.de"])
    assert [backend["LOCATION"] for backend in backends.values()] == [
        "http://a/__purge",
        "http://b/__purge",
    ]


def test_a_publish_purges_every_proxy_and_a_dead_one_is_logged(
    settings, fake_proxy, article_factory, monkeypatch, caplog
):
    first, second = fake_proxy(), fake_proxy()
    dead = f"http://127.0.0.1:{_dead_port()}/__purge"
    monkeypatch.setenv(
        "FRONTEND_CACHE_PURGE_URLS",
        f"http://127.0.0.1:{first.server_port}/__purge,{dead},"
        f"http://127.0.0.1:{second.server_port}/__purge",
    )
    settings.WAGTAILFRONTENDCACHE = frontend_cache_backends(
        frontend_cache_purge_targets(), ["www.kryptowelt.example"]
    )
    article = article_factory(section="neuigkeiten", title="Bitcoin steigt")
    first.received.clear(), second.received.clear()

    article.title = "Bitcoin steigt weiter"
    with caplog.at_level(logging.ERROR, logger="kryptowelt.caching.purge"):
        article.save_revision().publish()

    for proxy in (first, second):
        paths = {path for path, host in proxy.received}
        assert f"/__purge{article.url}" in paths, proxy.received
        assert "/__purge/neuigkeiten/" in paths and "/__purge/" in paths
        assert {host for path, host in proxy.received} == {"www.kryptowelt.example"}
    # The dead proxy (between the two live ones) is named in the log, once per batch rather
    # than once per address.
    dead_errors = [r for r in caplog.records if "nicht erreichbar" in r.getMessage()]
    assert dead_errors and all("127.0.0.1" in r.getMessage() for r in dead_errors)
    assert len(dead_errors) < len(first.received)
