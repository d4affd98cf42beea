"""Named scopes: a change renews exactly what shows the data that changed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from kryptowelt.caching.remember import remembered
from kryptowelt.caching.scopes import (
    Scope,
    changed,
    collecting,
    depends_on,
    generations,
    request_finished,
    request_started,
)
from kryptowelt.markets.services.mentions import coin_mentions_refresh
from kryptowelt.markets.services.sync import coin_markets_sync
from kryptowelt.markets.tests.fakes import make_client, markets_api, payload

pytestmark = pytest.mark.django_db


def market_sync(*, bitcoin_price=None):
    """A real sync of the recorded CoinGecko payload, optionally with a new bitcoin price."""
    entries = payload("coins_markets_eur.json")
    if bitcoin_price is not None:
        entries = [dict(entry) for entry in entries]
        entries[0]["current_price"] = bitcoin_price
    api = markets_api(**{"/coins/markets": [entries]})
    assert coin_markets_sync(client=make_client(api)).ok


@pytest.fixture
def caches_on(settings):
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 300


def test_a_market_sync_leaves_pages_without_prices_in_the_cache(client, caches_on, article_factory):
    market_sync()
    plain = article_factory(
        title="Ein Text ohne Kurse", body="Über Regulierung in Europa.", tags=()
    )
    assert client.get(plain.url)["X-App-Cache"] == "MISS"
    assert client.get(plain.url)["X-App-Cache"] == "HIT"
    market_sync(bitcoin_price=90_000)
    assert client.get(plain.url)["X-App-Cache"] == "HIT"
    assert client.get("/neuigkeiten/")["X-App-Cache"] == "MISS"  # first view
    market_sync(bitcoin_price=91_000)
    assert client.get("/neuigkeiten/")["X-App-Cache"] == "HIT"


def test_a_market_sync_renews_every_page_that_shows_prices(client, caches_on, article_factory):
    market_sync()
    coin_mentions_refresh()
    article = article_factory(
        title="Bitcoin steigt", body="Bitcoin legt zu, Bitcoin ist gefragt.", tags=("Bitcoin",)
    )
    coin_mentions_refresh()
    for url in (article.url, "/kurse/", "/kurse/bitcoin/"):
        client.get(url)
        assert client.get(url)["X-App-Cache"] == "HIT", url
    market_sync(bitcoin_price=97_531)
    for url in (article.url, "/kurse/", "/kurse/bitcoin/"):
        response = client.get(url)
        assert response["X-App-Cache"] == "MISS", url
        assert "97.531" in response.content.decode(), url


def test_pages_with_prices_are_kept_briefly_by_shared_caches(client, article_factory):
    market_sync()
    plain = article_factory(title="Ohne Kurse", body="Über Regulierung.", tags=())
    assert client.get("/kurse/")["Cache-Control"] == "public, max-age=60, s-maxage=60"
    assert client.get(plain.url)["Cache-Control"] == "public, max-age=60, s-maxage=300"


def test_a_market_sync_keeps_routes_and_fragments(
    client, settings, article_factory, django_assert_num_queries
):
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 300  # the page cache stays off
    market_sync()
    article = article_factory(title="Ohne Kursbezug", body="Über Regulierung.", tags=())
    for _ in range(2):
        assert client.get(article.url).status_code == 200
    market_sync(bitcoin_price=88_000)
    with django_assert_num_queries(0):
        assert client.get(article.url).status_code == 200


def test_a_fragment_tells_the_page_what_it_read_even_from_the_cache(settings):
    request = RequestFactory().get("/")
    for _ in range(2):  # computed, then served from memory
        request_started()
        with collecting():
            remembered("preisbox", lambda: depends_on(Scope.MARKETS) or "42 €", seconds=60)
        assert request_finished() == {Scope.CONTENT, Scope.MARKETS}
    assert request.path == "/"


def test_a_remembered_value_is_renewed_only_by_its_scopes():
    computed = []

    def compute():
        depends_on(Scope.GLOSSARY)
        computed.append(1)
        return len(computed)

    assert remembered("register", compute, seconds=60) == 1
    changed(Scope.MARKETS)
    assert remembered("register", compute, seconds=60) == 1
    changed(Scope.GLOSSARY)
    assert remembered("register", compute, seconds=60) == 2
    changed(Scope.CONTENT)
    assert remembered("register", compute, seconds=60) == 3


def test_changed_needs_a_known_scope():
    with pytest.raises(ValueError):
        changed()
    with pytest.raises(ValueError):
        changed("preise")


def test_caches_renew_renews_all_or_the_named_scopes():
    before = generations()
    call_command("caches_renew", "markets", stdout=StringIO())
    after = generations()
    assert after[Scope.MARKETS] != before[Scope.MARKETS]
    assert after[Scope.CONTENT] == before[Scope.CONTENT]
    out = StringIO()
    call_command("caches_renew", stdout=out)  # no scope named: all of them
    renewed = generations()
    assert all(renewed[scope] != after[scope] for scope in Scope)
    assert "content, markets, glossary, related" in out.getvalue()
    with pytest.raises(CommandError, match="Unbekannte Bereiche: preise"):
        call_command("caches_renew", "preise")
