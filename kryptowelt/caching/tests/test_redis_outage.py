"""A dead or hung Redis is a cache miss, not an error (issue 13, finding 3).

Hand-made servers stand in for Redis: a port nobody listens on (refused), a socket that
accepts connections and never answers (hung), and a real `redis-server` that is paused with
SIGSTOP and resumed, so that it comes back with its old data."""

import datetime as dt
import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client

from kryptowelt.caching import scopes
from kryptowelt.caching.memory import memory
from kryptowelt.caching.redis import RedisCache
from kryptowelt.caching.remember import remembered

TIMEOUT = 0.3


class HangingServer:
    """Accepts connections and never answers; counts them."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        self.socket.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def hanging():
    server = HangingServer()
    yield server
    server.close()


@pytest.fixture
def refused_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    return port


def redis_cache(location: str, retry_seconds: float = 30.0) -> RedisCache:
    return RedisCache(
        location, {"OPTIONS": {"socket_timeout": TIMEOUT, "retry_seconds": retry_seconds}}
    )


def use_as_default_cache(settings, location: str, retry_seconds: float = 30.0) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "kryptowelt.caching.redis.RedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_timeout": TIMEOUT, "retry_seconds": retry_seconds},
        }
    }


def test_a_refusing_redis_answers_every_operation_as_a_miss(refused_port):
    backend = redis_cache(f"redis://127.0.0.1:{refused_port}/0")
    assert backend.get("a", "vorgabe") == "vorgabe"
    assert backend.get_many(["a", "b"]) == {}
    assert backend.add("a", 1) is False
    backend.set("a", 1)  # stores nothing, raises nothing
    assert backend.has_key("a") is False
    with pytest.raises(ValueError):
        backend.incr("a")
    assert backend.is_available is False


def test_without_redis_a_process_keeps_what_it_computed_for_a_minute(settings, refused_port):
    """Fragments, routes and lists in the process's own memory keep serving during an outage
    (they are stamped with a generation that lasts a minute), instead of every page being
    rendered from nothing."""
    use_as_default_cache(settings, f"redis://127.0.0.1:{refused_port}/0")
    memory.clear()
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert remembered("waehrend-des-ausfalls", compute, seconds=600) == 1
    assert remembered("waehrend-des-ausfalls", compute, seconds=600) == 1
    assert all(number < 0 for number in scopes.generations().values())
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=61)):
        assert remembered("waehrend-des-ausfalls", compute, seconds=600) == 2
    memory.clear()


def test_a_hung_redis_costs_one_short_timeout_per_interval(hanging):
    backend = redis_cache(f"redis://127.0.0.1:{hanging.port}/0", retry_seconds=1.0)
    started = time.monotonic()
    assert backend.get("a") is None
    first = time.monotonic() - started
    assert TIMEOUT * 0.8 < first < TIMEOUT + 1.0
    started = time.monotonic()
    for _ in range(200):
        assert backend.get("a") is None
    assert time.monotonic() - started < 0.2  # no network while the breaker is open
    assert len(hanging.accepted) == 1
    time.sleep(1.1)
    assert backend.get("a") is None  # one new attempt after the interval …
    assert backend.get("b") is None  # … and only one
    assert len(hanging.accepted) == 2


def test_the_outage_is_logged_in_german_once_not_per_operation(refused_port, caplog):
    backend = redis_cache(f"redis://127.0.0.1:{refused_port}/0", retry_seconds=0.0)
    with caplog.at_level(logging.WARNING, logger="kryptowelt.caching.redis"):
        for _ in range(50):
            backend.get("a")
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 1
    assert "Redis nicht erreichbar" in messages[0]
    assert "ohne Cache" in messages[0]


@pytest.mark.django_db
def test_pages_search_calculators_and_the_admin_login_work_without_redis(
    settings, refused_port, home, article_factory, django_user_model
):
    use_as_default_cache(settings, f"redis://127.0.0.1:{refused_port}/0")
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 600
    article = article_factory(title="Bitcoin ohne Redis")
    reader = Client()
    calculator = "/rechner/gewinn/?kaufkurs=100&verkaufskurs=150&menge=1"
    for path in ("/", article.url, "/suche/?q=Bitcoin", calculator):
        answer = reader.get(path)
        assert answer.status_code == 200, path
    assert "ohne Redis" in reader.get("/suche/?q=Bitcoin").content.decode()  # a hit
    missing = reader.get("/gibt-es-nicht/")
    assert missing.status_code == 404
    assert "Seite nicht gefunden" in missing.content.decode()

    django_user_model.objects.create_superuser("redaktion", "r@example.org", "Geheim-123456")
    editor = Client()
    assert editor.get("/admin/login/").status_code == 200
    answer = editor.post("/admin/login/", {"username": "redaktion", "password": "Geheim-123456"})
    assert answer.status_code == 302
    assert editor.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_reader_posts_are_not_limited_while_the_counter_is_away(settings, refused_port, home):
    use_as_default_cache(settings, f"redis://127.0.0.1:{refused_port}/0")
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "2/m"
    statuses = {Client().post("/suche/", {"q": "x"}).status_code for _ in range(5)}
    assert 429 not in statuses
    assert 500 not in statuses


# --- a Redis that comes back with its old data ------------------------------------------------
@pytest.fixture
def redis_server(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server fehlt (make test installiert es)")
    path = tmp_path / "redis.sock"
    process = subprocess.Popen(  # noqa: S603
        [binary, "--port", "0", "--unixsocket", str(path), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not path.exists():
        assert time.monotonic() < deadline, "redis-server startete nicht"
        time.sleep(0.05)
    yield process, f"unix://{path}"
    os.kill(process.pid, signal.SIGCONT)
    process.terminate()
    process.wait(timeout=10)


def test_nothing_cached_before_an_outage_is_served_after_it(settings, redis_server, caplog):
    process, location = redis_server
    use_as_default_cache(settings, location, retry_seconds=0.5)
    memory.clear()
    assert remembered("liste", lambda: "alt", seconds=600) == "alt"
    assert remembered("liste", lambda: "nicht berechnet", seconds=600) == "alt"

    os.kill(process.pid, signal.SIGSTOP)  # hung: accepts, never answers
    # A publish while Redis hangs: its new generation cannot be stored …
    scopes.bump(scopes.Scope.CONTENT)
    assert cache.is_available is False
    # … and nothing cached is trusted meanwhile.
    assert remembered("liste", lambda: "neu", seconds=600) == "neu"

    os.kill(process.pid, signal.SIGCONT)  # back, with the old entry and old generations
    time.sleep(0.6)
    with caplog.at_level(logging.WARNING, logger="kryptowelt.caching.redis"):
        assert remembered("liste", lambda: "neuer", seconds=600) == "neuer"
    assert cache.is_available is True
    assert any("wieder erreichbar" in record.getMessage() for record in caplog.records)
    # And caching works again.
    assert remembered("liste", lambda: "nicht berechnet", seconds=600) == "neuer"
    memory.clear()
    assert remembered("liste", lambda: "nicht berechnet", seconds=600) == "neuer"


def test_renewing_the_caches_while_redis_is_away_says_so(settings, refused_port):
    use_as_default_cache(settings, f"redis://127.0.0.1:{refused_port}/0")
    with pytest.raises(CommandError, match="nicht erreichbar – nichts wurde erneuert"):
        call_command("caches_renew")
    with pytest.raises(CommandError, match="Unbekannte Bereiche: preise"):
        call_command("caches_renew", "preise")
