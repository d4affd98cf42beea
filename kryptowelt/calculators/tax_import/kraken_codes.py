"""Kraken's names for assets and trading pairs ("XXBT", "ZEUR", "DOT.S", "XXBTZEUR"), turned
into common symbols; shared by the Kraken export formats."""

from __future__ import annotations

import re

_KRAKEN_ASSETS = {
    "XXBT": "BTC",
    "XBT": "BTC",
    "XBT.M": "BTC",
    "XXDG": "DOGE",
    "XDG": "DOGE",
    "XETH": "ETH",
    "ETH2": "ETH",
    "ETH2.S": "ETH",
    "XXRP": "XRP",
    "XLTC": "LTC",
    "XXLM": "XLM",
    "XXMR": "XMR",
    "XETC": "ETC",
    "XZEC": "ZEC",
    "XREP": "REP",
    "XMLN": "MLN",
    "ZEUR": "EUR",
    "ZUSD": "USD",
    "ZGBP": "GBP",
    "ZCAD": "CAD",
    "ZJPY": "JPY",
    "ZAUD": "AUD",
    "ZCHF": "CHF",
}
_KRAKEN_QUOTES = (
    "ZEUR",
    "ZUSD",
    "ZGBP",
    "ZCAD",
    "ZJPY",
    "ZAUD",
    "XXBT",
    "XETH",
    "USDT",
    "USDC",
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "CAD",
    "JPY",
    "AUD",
    "XBT",
    "ETH",
    "DOT",
    "DAI",
)


def kraken_asset(code: str) -> str:
    """Kraken's asset codes to common symbols: XXBT → BTC, ZEUR → EUR, DOT.S → DOT."""
    code = (code or "").strip().upper()
    if code in _KRAKEN_ASSETS:
        return _KRAKEN_ASSETS[code]
    base = re.sub(r"\.(S|M|P|F|B|HOLD)$", "", code)
    base = re.sub(r"(\d+)?\.S$", "", base)
    if base in _KRAKEN_ASSETS:
        return _KRAKEN_ASSETS[base]
    return base


def kraken_pair(pair: str) -> tuple[str, str] | None:
    """("BTC", "EUR") for "XXBTZEUR", "XBT/EUR", "SOLEUR"; None if not recognisable."""
    text = (pair or "").strip().upper()
    if "/" in text:
        base, _, quote = text.partition("/")
        return kraken_asset(base), kraken_asset(quote)
    for quote in _KRAKEN_QUOTES:
        if text.endswith(quote) and len(text) > len(quote):
            return kraken_asset(text[: -len(quote)]), kraken_asset(quote)
    return None
