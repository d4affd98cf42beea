import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    from kryptowelt.news.factories import site_create

    return site_create()


@pytest.fixture
def article_factory(home):
    from kryptowelt.news.factories import article_make

    return article_make
