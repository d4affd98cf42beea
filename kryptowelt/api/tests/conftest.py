"""A small hand-made site for the API's tests: synthetic articles (one draft, one behind a
password), Lexikon terms, a guide, a coin with 400 days of made-up closes and a snapshot,
and two providers with sourced figures. Nothing here is real data."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from kryptowelt.comparisons.factories import figure, provider_make
from kryptowelt.glossary.factories import lexicon_index_make, term_make
from kryptowelt.guides.factories import guide_make
from kryptowelt.markets.models import Coin, MarketSnapshot
from kryptowelt.markets.services.imports import price_history_import

HISTORY_DAYS = 400


@pytest.fixture(autouse=True)
def _api_settings(settings):
    # The suite's own limits would answer a fuzzer with 429s; their test switches them on.
    settings.KRYPTOWELT_API_RATE = ""
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "100000/m"


def coin_make(coin_id="bitcoin", name="Bitcoin", symbol="btc", days=HISTORY_DAYS, start=20_000):
    """Synthetic daily closes rising by 0.1 % a day up to yesterday, and a snapshot."""
    today = timezone.localdate()
    rows = [
        f"{today - dt.timedelta(days=days - i)},,,,{start * 1.001**i:.2f},\n" for i in range(days)
    ]
    price_history_import(
        source=io.StringIO("date,open,high,low,close,volume\n" + "".join(rows)),
        coin_id=coin_id,
        currency="eur",
        name=name,
        symbol=symbol,
    )
    coin = Coin.objects.get(coingecko_id=coin_id)
    coin.rank = 1
    coin.save(update_fields=["rank"])
    MarketSnapshot.objects.create(
        coin=coin,
        price=Decimal("30123.45"),
        market_cap=Decimal("600000000000"),
        total_volume=Decimal("20000000000"),
        change_24h=Decimal("1.5"),
        change_7d=Decimal("-2.25"),
        fetched_at=timezone.now() - dt.timedelta(minutes=3),
        last_updated=timezone.now() - dt.timedelta(minutes=4),
    )
    return coin


@pytest.fixture
def api_site(home, article_factory):
    """The synthetic site; returns what tests refer to by name."""
    news = article_factory(
        title="Bitcoin-Börsen unter Aufsicht",
        body="## Regeln\n\nDie Börsen müssen sich registrieren.\n\n> Ein Zitat.",
        tags=("Bitcoin", "Regulierung"),
        author="Erika Musterfrau",
        published_at=timezone.now() - dt.timedelta(days=2),
    )
    tip = article_factory(
        section="tipps",
        title="Wallet sicher einrichten",
        body="## Schritt eins\n\nDie Wiederherstellungsphrase offline aufschreiben.",
        tags=("Wallet",),
        author="Max Mustermann",
        published_at=timezone.now() - dt.timedelta(days=40),
    )
    draft = article_factory(title="Entwurf über Ether", tags=("Ether",))
    draft.unpublish()
    private = article_factory(title="Nur mit Passwort lesbar")
    PageViewRestriction.objects.create(
        page=private,
        restriction_type=PageViewRestriction.PASSWORD,
        password="geheim",  # noqa: S106
    )
    index = lexicon_index_make(home=home)
    blockchain = term_make(index=index, title="Blockchain", sources=("https://example.org/bc",))
    wallet = term_make(index=index, title="Wallet", related=(blockchain,))
    guide = guide_make(home=home)
    coin = coin_make()
    exchange = provider_make(
        name="Testbörse Eins",
        slug="testboerse-eins",
        figures=[
            figure("taker_pct", "0.25"),
            figure("fixed_eur", "0"),
            figure("deposit_sepa", "0", eur="0"),
            figure("mica", True, text="BaFin (Deutschland)"),
            figure("coins", 250),
            figure("sparplan", True),
            figure("sparplan_fee", "1", eur="0"),
        ],
    )
    broker = provider_make(
        name="Testbroker Zwei",
        slug="testbroker-zwei",
        kind_exchange=False,
        kind_broker=True,
        pricing="broker",
        figures=[figure("commission_pct", "1"), figure("spread_pct", None, unpublished=True)],
    )
    return {
        "home": home,
        "news": news,
        "tip": tip,
        "draft": draft,
        "private": private,
        "terms": (blockchain, wallet),
        "guide": guide,
        "coin": coin,
        "providers": (exchange, broker),
    }
