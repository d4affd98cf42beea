"""Fixtures of the newsletter tests: a small hand-made site with /newsletter/ and two lists."""

import contextlib
import socket

import pytest
from django.test import Client
from django_tasks import task_backends

from kryptowelt.newsletter.factories import newsletter_index_ensure, newsletter_lists_ensure


@pytest.fixture
def newsletter(home, settings):
    settings.KRYPTOWELT_NEWSLETTER_SEND_RATE = 0  # no pacing in tests
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "1000/m"
    newsletter_lists_ensure()
    return newsletter_index_ensure(home=home)


@pytest.fixture
def daily(newsletter):
    from kryptowelt.newsletter.models import NewsletterList

    return NewsletterList.objects.get(slug="taeglich")


@pytest.fixture
def reader():
    """A reader's browser that enforces CSRF like production (and sends no cookies)."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def editor_client(django_user_model):
    client = Client()
    client.force_login(
        django_user_model.objects.create_superuser("redaktion", "redaktion@example.org", "x")
    )
    return client


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
    done = []
    while backend.results:
        result = backend.results.pop(0)
        done.append(result.task.call(*result.args, **result.kwargs))
    return done
