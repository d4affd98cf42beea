"""Small helpers the exchange formats share: finding a column under one of several names
(exports differ between versions and languages), numbers that may be empty or "-", amounts
written together with their unit ("0.00100000BTC"), and the notation of a whole file."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from kryptowelt.calculators.tax.rules import ZERO
from kryptowelt.calculators.tax_import.parsing import parse_number

_EMPTY = {"", "-", "–", "—", "n/a", "null", "none"}
_AMOUNT_UNIT = re.compile(r"^\s*([-+]?[\d.,]+(?:[eE][-+]?\d+)?)\s*([A-Za-z][A-Za-z0-9]*)\s*$")


def first_column(columns: dict[str, int], *names: str) -> int | None:
    """The index of the first of `names` the header has."""
    return next((columns[name] for name in names if name in columns), None)


def has_any(names: frozenset[str], *candidates: Iterable[str]) -> bool:
    """Whether the header has, for every group of `candidates`, one of its names."""
    return all(any(name in names for name in group) for group in candidates)


def at(cells: list[str], index: int | None) -> str:
    """The stripped cell, or "" if the column or the cell is missing."""
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def is_empty(text: str) -> bool:
    return text.strip().lower() in _EMPTY


def number(text: str, *, style: str = "en") -> Decimal:
    """A number, "-" and "" being zero; raises ValueError with a German text."""
    if not text or text == "-" or is_empty(text):
        return ZERO
    return parse_number(text, style=style)


def optional_number(text: str, *, style: str = "en") -> Decimal | None:
    return None if is_empty(text) else parse_number(text.strip(), style=style)


def amount_with_unit(text: str) -> tuple[Decimal, str]:
    """ "0.00100000BTC" → (0.001, "BTC"); "1,234.5 USDT" → (1234.5, "USDT")."""
    match = _AMOUNT_UNIT.match(text or "")
    if not match:
        raise ValueError(f"„{(text or '')[:40]}“ ist keine Menge mit Einheit")
    return parse_number(match.group(1), style="en"), match.group(2).upper()


def file_style(rows: list[tuple[int, tuple[str, ...]]], positions: Iterable[int]) -> str:
    """ "de" if any number cell of the file has a decimal comma, else "en": a German export
    writes "1.234,56", an English one "1,234.56"; "1.000" alone cannot tell."""
    positions = [p for p in positions if p is not None]
    for _, cells in rows:
        for position in positions:
            if position < len(cells):
                value = cells[position]
                if "," in value and "." not in value:
                    return "de"
                if "," in value and value.rfind(",") > value.rfind("."):
                    return "de"
    return "en"


# Common names of coins in broker exports (Trade Republic, BISON) → symbols.
COIN_NAMES = {
    "bitcoin": "BTC",
    "ethereum": "ETH",
    "ether": "ETH",
    "solana": "SOL",
    "ripple": "XRP",
    "xrp": "XRP",
    "cardano": "ADA",
    "dogecoin": "DOGE",
    "litecoin": "LTC",
    "polkadot": "DOT",
    "chainlink": "LINK",
    "avalanche": "AVAX",
    "polygon": "POL",
    "uniswap": "UNI",
    "tron": "TRX",
    "stellar": "XLM",
    "bitcoin cash": "BCH",
    "shiba inu": "SHIB",
    "cosmos": "ATOM",
    "tezos": "XTZ",
    "pepe": "PEPE",
    "sui": "SUI",
    "near protocol": "NEAR",
    "aptos": "APT",
}


def coin_symbol(text: str) -> str:
    """A coin's symbol from a symbol or a common name ("Bitcoin" → "BTC")."""
    cleaned = (text or "").strip()
    return COIN_NAMES.get(cleaned.lower(), cleaned.upper())
