import pytest
from django.test import Client


@pytest.fixture
def error_client(settings):
    """A client on a URL configuration with one view that fails (/kaputt/), logging as in
    production: Django's request logger with the mail handler of settings/operations.py."""
    import logging.config

    from kryptowelt.settings import base

    settings.ROOT_URLCONF = "kryptowelt.ops.tests.urls"
    logging.config.dictConfig(base.LOGGING)
    try:
        yield Client(raise_request_exception=False)
    finally:
        logging.config.dictConfig(settings.LOGGING)
