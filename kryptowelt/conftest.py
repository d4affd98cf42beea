import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from kryptowelt.caching import routes

    cache.clear()
    routes.forget()
    yield
    cache.clear()
    routes.forget()


@pytest.fixture
def home(db):
    from kryptowelt.home.factories import site_create

    return site_create()


@pytest.fixture
def article_factory(home):
    from kryptowelt.news.factories import article_make

    return article_make
