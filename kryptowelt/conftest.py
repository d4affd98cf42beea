import contextlib
import socket

import pytest
from django_tasks import task_backends


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from kryptowelt.caching import routes

    cache.clear()
    routes.forget()
    yield
    cache.clear()
    routes.forget()


@pytest.fixture(autouse=True)
def _one_rate_limit_window(monkeypatch):
    """django-ratelimit counts in fixed windows (a minute for "2/m") that start at a moment
    of their own; a test asserting "the third POST is refused" failed when its requests fell
    on both sides of a window's end (about one run in twenty of a slow suite). Its clock
    stands still during each test, so every test counts within one window."""
    import time
    import types

    from django_ratelimit import core

    now = time.time()
    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: now))


@pytest.fixture
def purged(settings):
    """The URLs purged from the caching proxy during the test, in order (a recording purge
    backend in place of nginx)."""
    from kryptowelt.caching.tests.test_http import PURGED

    settings.WAGTAILFRONTENDCACHE = {
        "recording": {"BACKEND": "kryptowelt.caching.tests.test_http.RecordingBackend"}
    }
    PURGED.clear()
    return PURGED


def pytest_addoption(parser):
    parser.addoption(
        "--db-tests-only",
        action="store_true",
        help="Only the tests that use the database (django_db marker, db, transactional_db or "
        "live_server fixture); scripts/test.sh runs the suite on PostgreSQL so.",
    )


def _uses_db(item) -> bool:
    """Whether the test may touch Django's database: pytest-django blocks every query of a
    test without the marker or one of these fixtures, so a test without them cannot behave
    differently on another database."""
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        item.get_closest_marker("django_db")
        or {"db", "transactional_db", "live_server", "django_db_reset_sequences"} & set(fixtures)
    )


def pytest_collection_modifyitems(config, items):
    """`--db-tests-only`: the suite on PostgreSQL (scripts/test.sh) skips what the SQLite run
    already ran and no database can change (about 300 of 1,200 tests: maths, parsers,
    settings, templates without queries, deploy scripts)."""
    if not config.getoption("--db-tests-only"):
        return
    kept, dropped = [], []
    for item in items:
        (kept if _uses_db(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


# The small test site of `django_db_setup`: "pending" until the test database exists, then
# "present" (committed, every test rolls back to it), "removed" (emptied before the first
# transactional test) or "unwanted" (the first test to need the database was transactional).
_base_site = {"state": "pending"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the small site of `home.factories.site_create` built once.

    Building it cost about half a second of CPU in every test that asked for `home` (pages,
    search and reference index through Wagtail's save), a third of the suite's time. Built
    here, it is committed once; each test runs in a transaction that rolls back to it.
    Transactional tests (run after all others, as pytest-django orders them) start from the
    database as the migrations left it, as before: see `pytest_runtest_setup`."""
    from kryptowelt.home.factories import site_create

    if _base_site["state"] == "pending":
        with django_db_blocker.unblock():
            site_create()
        _base_site["state"] = "present"


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    by_marker = bool(
        marker
        and (
            marker.kwargs.get("transaction")
            or marker.kwargs.get("reset_sequences")
            or (marker.args and marker.args[0])
        )
    )
    fixtures = getattr(item, "fixturenames", ())
    return by_marker or "transactional_db" in fixtures or "live_server" in fixtures


def pytest_runtest_setup(item):
    """Before the first transactional test: the database back to what the migrations left
    (flush, then the rows pytest-django serialised after migrating), without the test site,
    so a transactional test sees committed data exactly as it did before the site was
    shared, whichever test runs first.

    This hook runs before the test's fixtures. When a transactional test is the first to need
    the database (a browser test run alone), the database does not exist yet: the site must
    then not be built at all. Built, it would be committed under the test, whose serialized
    rollback then wrote the migrations' rows back over it (the default site pointing at
    Wagtail's welcome page again, the test site's pages outside any site: their URLs None),
    which broke the editor's preview test. Later non-transactional tests (none, in
    pytest-django's order) would build the site in their own transaction (`home`)."""
    if not _transactional(item):
        return
    if _base_site["state"] == "pending":
        _base_site["state"] = "unwanted"
    if _base_site["state"] != "present":
        return
    from django.core.management import call_command
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            call_command(
                "flush",
                database=connection.alias,
                interactive=False,
                verbosity=0,
                inhibit_post_migrate=True,
                # As Django's own flush after a transactional test: PostgreSQL's sequences
                # restarted at 1 would hand out the ids of the rows reloaded next.
                reset_sequences=False,
            )
            serialized = getattr(connection, "_test_serialized_contents", None)
            if serialized:
                connection.creation.deserialize_db_from_string(serialized)
    _base_site["state"] = "removed"


@pytest.fixture
def home(db):
    """The site's home page (sections, pillar and legal pages below it): the one built once
    in `django_db_setup`, or, in transactional tests, a new one."""
    from kryptowelt.home.factories import HOME_TITLE, site_create
    from kryptowelt.home.models import HomePage

    found = HomePage.objects.filter(title=HOME_TITLE, slug="start", depth=2).first()
    return found or site_create()


@pytest.fixture
def site_absent(db):
    """No site, as the migrations leave the database: for tests of what builds one (the
    demo's loaders). Removes the shared test site inside the test's transaction."""
    from kryptowelt.home.models import HomePage

    for home in HomePage.objects.filter(depth=2):
        home.delete()


@pytest.fixture
def article_factory(home):
    from kryptowelt.news.factories import article_make

    return article_make


class _Inbox:
    """What a real SMTP server on loopback received, parsed as the recipient's client would."""

    def __init__(self):
        import threading

        self.messages = []
        self.envelopes = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        import email
        import email.policy

        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.envelopes.append(envelope)
            self.messages.append(message)
        return "250 OK"

    def to(self, address):
        """Messages whose envelope names ``address`` as a recipient."""
        with self._lock:
            pairs = list(zip(self.envelopes, self.messages, strict=True))
        return [m for e, m in pairs if address in e.rcpt_tos]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port; Django sends its mail there.

    Yields the inbox: ``.messages`` are ``email.message.EmailMessage`` objects (policy
    default, so ``get_body()`` and decoded headers work), ``.envelopes`` the SMTP envelopes.
    """
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


# Mail sent from the task queue (newsletter, alerts): a hung server, a queue run by hand.
@contextlib.contextmanager
def hung_mail_server(settings, *, timeout: float = 5.0):
    """Sending goes to a mail server that accepts the connection and never answers (hung or
    overloaded): an inline send would wait `timeout` seconds (EMAIL_TIMEOUT), then fail."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        port, live = server.getsockname()[1], (settings.EMAIL_PORT, settings.EMAIL_TIMEOUT)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
            "127.0.0.1",
            port,
            timeout,
        )
        try:
            yield
        finally:
            settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = live


@pytest.fixture
def task_queue(settings):
    """Tasks are queued, not run, as in production with a worker (DummyBackend);
    `run_queued(task_queue)` runs what is queued, like the worker does."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }
    return task_backends["default"]


def run_queued(backend) -> list:
    """Run what `task_queue` holds, in order, as a worker would; their return values."""
    done = []
    while backend.results:
        result = backend.results.pop(0)
        done.append(result.task.call(*result.args, **result.kwargs))
    return done
