"""Fixtures of the newsletter tests: a small hand-made site with /newsletter/ and two lists."""

import pytest
from django.test import Client

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
