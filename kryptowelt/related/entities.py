"""Entities named in a text, for the engine's entity block (pure Python, no Django imports).

Coins and tickers, companies, people, regulators and laws from the gazetteer
(`kryptowelt.related.gazetteer`), as stable ids ("coin:bitcoin", "org:openai"). Names match
on folded words (`kryptowelt.text.fold_transcriptions`: case, umlauts and "ae/oe/ue" spellings
ignored), multi-word names first, with a genitive/plural "s"; one-word names of six or more
letters also at the start of a closed compound ("Bitcoinkurs"). Tickers count only in
capitals ("SOL" yes, "sol" no).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kryptowelt.related.gazetteer import ENTITIES, TICKERS
from kryptowelt.text import fold_transcriptions

_CASED_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _alias_index() -> tuple[dict[tuple[str, ...], str], int]:
    index: dict[tuple[str, ...], str] = {}
    longest = 1
    for entity_id, (_kind, _name, aliases) in ENTITIES.items():
        for alias in aliases:
            words = tuple(_CASED_TOKEN.findall(fold_transcriptions(alias)))
            if words:
                index[words] = entity_id
                longest = max(longest, len(words))
    return index, longest


_ALIASES, _LONGEST_ALIAS = _alias_index()
# Single-word aliases long enough to be recognised at the start of a closed compound
# ("Bitcoinkurs", "Ethereumnetzwerk"): short ones ("sol", "eth") would match ordinary words.
# First words of every alias, also with the genitive/plural "s" ("Musks", "OpenAIs").
_ALIAS_STARTS = frozenset(words[0] for words in _ALIASES) | frozenset(
    words[0] + "s" for words in _ALIASES if len(words) == 1
)
_TICKER_CANDIDATE = re.compile(r"\b[A-Z][A-Za-z0-9]{1,5}\b")
_PREFIX_MIN_CHARS = 6
_PREFIX_ALIASES = {
    words[0]: entity_id
    for words, entity_id in _ALIASES.items()
    if len(words) == 1 and len(words[0]) >= _PREFIX_MIN_CHARS
}


@lru_cache(maxsize=100_000)
def _compound_entity(word: str) -> str | None:
    for end in range(len(word) - 1, _PREFIX_MIN_CHARS - 1, -1):
        entity_id = _PREFIX_ALIASES.get(word[:end])
        if entity_id is not None:
            return entity_id
    return None


def entities(text: str) -> set[str]:
    """Ids of the gazetteer entities named in `text` ("coin:bitcoin", "regulator:bafin")."""
    found: set[str] = set()
    text = unicodedata.normalize("NFC", text)
    # Tickers count only in capitals ("BTC", "ETH"), so "sol" or "link" in prose do not.
    for token in _TICKER_CANDIDATE.findall(text):
        entity_id = TICKERS.get(token)
        if entity_id is not None:
            found.add(entity_id)
    words = _CASED_TOKEN.findall(fold_transcriptions(text))
    unique = set(words)
    for word in unique:
        if len(word) > _PREFIX_MIN_CHARS:
            entity_id = _compound_entity(word)
            if entity_id is not None:
                found.add(entity_id)
    starts = unique & _ALIAS_STARTS
    if not starts:
        return found
    count = len(words)
    for start, word in enumerate(words):
        if word not in starts:
            continue
        for size in range(min(_LONGEST_ALIAS, count - start), 0, -1):
            key = tuple(words[start : start + size])
            entity_id = _ALIASES.get(key)
            if entity_id is None and key[-1].endswith("s"):
                entity_id = _ALIASES.get((*key[:-1], key[-1][:-1]))
            if entity_id is not None:
                found.add(entity_id)
                break
    return found
