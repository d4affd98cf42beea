"""A coin's page as the answer to a search for its name or symbol ("bitcoin", "BTC",
"Bitcoin Kurs"); the query is run by MarketsIndexPage.search_destinations."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from kryptowelt.core import formatting
from kryptowelt.core.destinations import EXACT, PREFIX, Destination
from kryptowelt.text import normalise, words

COIN_KIND = "Kurs und Chart"
# Words readers add to a coin's name when they look for its price ("Bitcoin Kurs Euro").
FILLER = frozenset(
    "kurs kurse kursentwicklung preis preise chart charts euro eur wert aktuell aktueller "
    "heute live marktkapitalisierung in".split()
)
SYMBOL_SCORE = EXACT - 5  # "BTC": many coins share a symbol; a name or id says more


def coin_query(query: str) -> str:
    """The part of a query that can name a coin: its words without the filler, lower case."""
    return " ".join(word for word in words(query)[:6] if word not in FILLER)


def coin_score(*, name: str, symbol: str, coin_id: str, wanted: str) -> int:
    if not wanted:
        return 0
    if normalise(name) == wanted or coin_id == wanted.replace(" ", "-"):
        return EXACT
    if normalise(symbol) == wanted:
        return SYMBOL_SCORE
    if len(wanted) >= 3 and normalise(name).startswith(wanted):
        return PREFIX
    return 0


def coin_destination(*, coin, snapshot, url: str, score: int) -> Destination:
    text = f"{coin.name}-Kurs in Euro mit Chart, Marktdaten und Umrechner."
    if snapshot is not None:
        text += f" Zuletzt {formatting.format_price(snapshot.price)}"
        if snapshot.change_24h is not None:
            change = formatting.format_percent(snapshot.change_24h, 1, sign=True)
            text += f" ({change} in 24 Stunden)"
        text += "."
    title = f"{coin.name} ({coin.symbol_display})" if coin.symbol else coin.name
    return Destination(title, url, COIN_KIND, text, score)


class SearchSnapshot(NamedTuple):
    price: Decimal
    change_24h: Decimal | None


class SearchCoin(NamedTuple):
    """What search needs of a coin with a page (MarketsIndexPage.search_destinations),
    small enough to be remembered between searches."""

    coingecko_id: str
    name: str
    symbol: str
    name_folded: str
    symbol_folded: str
    url: str
    snapshot: SearchSnapshot | None

    @property
    def symbol_display(self) -> str:
        return self.symbol.upper()


def search_coin(coin) -> SearchCoin:
    """`coin` (with its snapshot selected) as search keeps it."""
    snapshot = getattr(coin, "snapshot", None)
    return SearchCoin(
        coingecko_id=coin.coingecko_id,
        name=coin.name,
        symbol=coin.symbol,
        name_folded=coin.name.casefold(),
        symbol_folded=coin.symbol.casefold(),
        url=coin.get_absolute_url(),
        snapshot=None if snapshot is None else SearchSnapshot(snapshot.price, snapshot.change_24h),
    )
