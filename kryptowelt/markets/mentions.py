"""Find the coins an article names (no Django): "Bitcoin", "Bitcoins", "Bitcoin-ETF",
"Ether", "BTC" … → {"bitcoin": 3, "ethereum": 1}.

Names match case-sensitively as whole words (German plural/genitive "s" and hyphenated
compounds included). Ticker symbols match only in capitals, only for well-known coins
(the top 100) and never for symbols that are everyday abbreviations. Names that are also
ordinary words ("Gas", "Maker", "Core", "Flow", …) are not matched, so an article about
maker/taker fees does not grow a price chip for the Maker coin.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from kryptowelt.text import NAME_ENDINGS

SYMBOL_MAX_RANK = 100

# Extra names readers use for a coin (CoinGecko id -> names).
ALIASES = {
    "bitcoin": ["Bitcoin"],
    "ethereum": ["Ether", "Ethereum"],
    "ripple": ["XRP", "Ripple"],
    "binancecoin": ["BNB", "Binance Coin"],
    "avalanche-2": ["Avalanche"],
    "matic-network": ["Polygon"],
    "polygon-ecosystem-token": ["Polygon"],
    "the-open-network": ["Toncoin"],
    "shiba-inu": ["Shiba Inu"],
    "usd-coin": ["USDC", "USD Coin"],
    "tether": ["Tether", "USDT"],
    "dogecoin": ["Dogecoin"],
}

# Coin names that are also ordinary German or English words in our articles.
AMBIGUOUS_NAMES = {
    "Gas",
    "Maker",
    "Core",
    "Flow",
    "Stacks",
    "Render",
    "Mantle",
    "Beam",
    "Sonic",
    "Story",
    "Echo",
    "Helium",
    "Dash",
    "Optimism",
    "Immutable",
    "Theta",
    "Quant",
    "Compound",
    "Safe",
    "Sky",
    "Movement",
    "Mantra",
    "Usual",
    "Walrus",
    "Neo",
    "Gate",
    "Dai",
    "Stellar",
    "Jupiter",
    "Celo",
    "Pi",
    "Ronin",
    "Blur",
    "Ethena",
    "Kaia",
    "Sei",
    "Internet Computer",
    "Cosmos",
}

AMBIGUOUS_SYMBOLS = {
    "ETF",
    "USD",
    "EUR",
    "CEO",
    "API",
    "DAO",
    "NFT",
    "BIP",
    "EIP",
    "KYC",
    "AML",
    "SEC",
    "USA",
    "ONE",
    "GAS",
    "SAFE",
    "CORE",
    "FLOW",
    "BEAM",
    "ECHO",
    "MOVE",
    "SKY",
    "HOT",
    "DASH",
    "LINK",
    "TON",
    "LEO",
    "GT",
    "OM",
    "ETC",
    "MANA",
    "BAT",
    "COMP",
    "SAND",
    "CAKE",
    "NEAR",
    "DOT",
    "UNI",
    "ATOM",
    "POL",
    "FET",
    "IMX",
    "APE",
    "ME",
}


@dataclass(frozen=True)
class CoinName:
    coin_id: str
    name: str
    symbol: str
    rank: int | None


class MentionMatcher:
    """A compiled matcher for a set of coins; build once, use for many texts."""

    def __init__(self, coins: Iterable[CoinName]):
        by_term: dict[str, tuple[int, str]] = {}

        def add(term: str, coin_id: str, rank: int | None) -> None:
            term = term.strip()
            if len(term) < 3 or term in AMBIGUOUS_NAMES:
                return
            weight = rank if rank is not None else 10**9
            current = by_term.get(term)
            if current is None or weight < current[0]:
                by_term[term] = (weight, coin_id)

        for coin in coins:
            add(coin.name, coin.coin_id, coin.rank)
            for alias in ALIASES.get(coin.coin_id, ()):
                add(alias, coin.coin_id, coin.rank)
            symbol = coin.symbol.upper()
            if (
                coin.rank is not None
                and coin.rank <= SYMBOL_MAX_RANK
                and len(symbol) >= 3
                and symbol.isalnum()
                and symbol not in AMBIGUOUS_SYMBOLS
            ):
                add(symbol, coin.coin_id, coin.rank)
        self.terms = {term: coin_id for term, (_, coin_id) in by_term.items()}
        if self.terms:
            alternatives = "|".join(
                re.escape(term) for term in sorted(self.terms, key=lambda t: (-len(t), t))
            )
            endings = "|".join(NAME_ENDINGS)
            # Whole words; genitive/plural endings (Bitcoins) and hyphenated compounds
            # (Bitcoin-ETF) count. Glued German compounds ("Bitcoinkurs") count for names of
            # 5+ letters.
            self.pattern = re.compile(rf"(?<![\w-])({alternatives})(?:{endings})?(?![\w])")
        else:
            self.pattern = None
        compound_terms = sorted(
            (t for t in self.terms if len(t) >= 5 and not t.isupper()), key=lambda t: -len(t)
        )
        self.compound = None
        if compound_terms:
            self.compound = re.compile(
                rf"(?<![\w-])({'|'.join(re.escape(t) for t in compound_terms)})(?=[a-zäöü]{{3,}})"
            )

    def count(self, text: str) -> Counter:
        """How often each coin is named in `text`."""
        counts: Counter = Counter()
        if not text or self.pattern is None:
            return counts
        for match in self.pattern.finditer(text):
            counts[self.terms[match.group(1)]] += 1
        if self.compound is not None:
            for match in self.compound.finditer(text):
                counts[self.terms[match.group(1)]] += 1
        return counts
