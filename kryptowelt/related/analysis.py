"""German text analysis for the relatedness engine (pure Python, no Django imports).

What it does, in the order the engine uses it:

* `normalise` – Unicode NFC, case folding, one kind of dash and apostrophe, no soft hyphens.
* `fold` – `normalise` plus umlaut and ß folding (ä→a, ö→o, ü→u, ß→ss), for matching.
* `tokenize` – words and the terms of this domain that a plain word splitter breaks apart:
  "Layer-2", "BTC/EUR", "97,4", "Proof-of-Stake", "z.B.".
* `index_terms` – what the engine counts: stop words and punctuation-only numbers dropped,
  Snowball German stems (PyStemmer, which also maps "ae/oe/ue" spellings to umlauts),
  hyphenated compounds kept whole *and* split into their parts ("Bitcoin-ETF" →
  "bitcoin-etf", "bitcoin", "etf").
* `entities` – coins and tickers, companies, people, regulators and laws from the gazetteer
  (`kryptowelt.related.gazetteer`), as stable ids ("coin:bitcoin", "org:openai").
* `split_lead` – the first sentence (title/teaser-like) and the rest of a text.

Closed compounds ("Kryptobörse") are not split: the splitters we tried did not move
precision measurably (see docs/related.md), so the engine stays without one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain

import Stemmer
from stop_words import get_stop_words

from kryptowelt.related.gazetteer import ENTITIES, TICKERS

# Words joined by "-", "/", ".", ",", "+", "&" or an apostrophe stay one term when a word
# character follows the joiner: "Layer-2", "BTC/EUR", "97,4", "z.B", "S&P", "Moody's".
_TOKEN = re.compile(r"[^\W_]+(?:[-/.,+&'][^\W_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[^\W\d_][.!?])[\"'»«“”]?\s+(?=[\"'»«“„]?[A-ZÄÖÜ0-9])")
# Dashes become "-", typographic apostrophes "'", invisible characters (soft hyphen,
# zero-width joiners) disappear. A regex substitution is much faster than str.translate
# with a mapping on long texts, and most texts contain none of these characters.
_SPECIAL_CHARS = {
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("’‘`´", "'"),
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
}
_SPECIAL = re.compile("[" + "".join(_SPECIAL_CHARS) + "]")
_FOLD_PAIRS = (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss"), ("ẞ", "ss"))
_JOINERS = re.compile(r"[-/.,+&']")
_NUMBER = re.compile(r"^[\d.,/+\-&']+$")

MAX_TOKEN_CHARS = 40  # longer "words" are URLs, hashes or garbage
MIN_TERM_CHARS = 2


def _build_stop_words() -> frozenset[str]:
    # The maintained list of the `stop-words` package, plus a few words that are frequent in
    # news text and carry no topic ("sagte", "laut", weekdays); all folded like the text.
    extra = """
        sagt sagte sagten erklärt erklärte laut bereits zudem sowie etwa rund seit gibt gab
        wurde wurden worden werden wird ab heute gestern morgen jahr jahre jahren prozent
        montag dienstag mittwoch donnerstag freitag samstag sonntag mehr neue neuen beim
        ja nein mal schon immer dabei dafür dass daß ersten erste zwei drei vier fünf
        z.b u.a d.h bzw usw ca vgl
        """.split()
    return frozenset(fold(word) for word in (*get_stop_words("de"), *extra))


def normalise(text: str) -> str:
    """NFC, case folded, with uniform dashes and apostrophes and no invisible characters."""
    text = unicodedata.normalize("NFC", text)
    if _SPECIAL.search(text):
        text = _SPECIAL.sub(lambda match: _SPECIAL_CHARS[match.group()], text)
    return text.casefold()


def _fold_normalised(text: str) -> str:
    for source, target in _FOLD_PAIRS:
        if source in text:
            text = text.replace(source, target)
    return text


def fold(text: str) -> str:
    """`normalise` plus umlaut and ß folding: "Börse", "BÖRSE" and "borse" match."""
    return _fold_normalised(normalise(text))


def tokenize(text: str) -> list[str]:
    """Normalised tokens (not folded, not stemmed); keeps "layer-2", "btc/eur", "97,4"."""
    return [token for token in _TOKEN.findall(normalise(text)) if len(token) <= MAX_TOKEN_CHARS]


def split_lead(text: str) -> tuple[str, str]:
    """The first sentence and the rest. Used when a text has no separate title or teaser."""
    text = text.strip()
    match = _SENTENCE_END.search(text, 0, 600)
    if match is None:
        return ("", text) if len(text) > 600 else (text, "")
    return text[: match.start() + 1].strip(), text[match.end() :].strip()


_stemmer = Stemmer.Stemmer("german")
STOP_WORDS = _build_stop_words()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball German stem of a folded word; umlaut spellings collapse ("boerse" = "börse")."""
    return _stemmer.stemWord(word)


@lru_cache(maxsize=200_000)
def _token_terms(token: str, stemming: bool = True, parts: bool = True) -> tuple[str, ...]:
    if len(token) > MAX_TOKEN_CHARS:
        return ()
    folded = _fold_normalised(token)
    if _NUMBER.match(folded):
        # Bare numbers ("2024", "97,4") match across unrelated articles; only years keep
        # some topic signal, so only they stay.
        return (folded,) if len(folded) == 4 and folded.isdigit() else ()
    if folded in STOP_WORDS:
        return ()
    stem_ = stem if stemming else str
    pieces = [piece for piece in _JOINERS.split(folded) if piece]
    if len(pieces) == 1:
        return (stem_(folded),) if len(folded) >= MIN_TERM_CHARS else ()
    whole = "-".join(stem_(piece) for piece in pieces)
    if not parts:
        return (whole,)
    return (
        whole,
        *(
            stem_(piece)
            for piece in pieces
            if len(piece) >= MIN_TERM_CHARS and piece not in STOP_WORDS and not piece.isdigit()
        ),
    )


def index_terms(text: str, *, stemming: bool = True, parts: bool = True) -> list[str]:
    """The terms the engine counts for `text`, in text order (with repetitions).

    `stemming=False` and `parts=False` exist for the ablation benchmark only."""
    tokens = _TOKEN.findall(normalise(text))
    if stemming and parts:
        return list(chain.from_iterable(map(_token_terms, tokens)))
    return list(chain.from_iterable(_token_terms(token, stemming, parts) for token in tokens))


# --- entities --------------------------------------------------------------------------------
_CASED_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


_TRANSCRIBED_UMLAUT = re.compile(r"([aou])e")


def _entity_fold(text: str) -> str:
    """`fold` plus "ae/oe/ue" → "a/o/u", so that "Boerse Stuttgart" finds "Börse Stuttgart".
    Applied to aliases and texts alike, so words like "Michael" stay matchable."""
    return _TRANSCRIBED_UMLAUT.sub(r"\1", fold(text))


def _alias_index() -> tuple[dict[tuple[str, ...], str], int]:
    index: dict[tuple[str, ...], str] = {}
    longest = 1
    for entity_id, (_kind, _name, aliases) in ENTITIES.items():
        for alias in aliases:
            words = tuple(_CASED_TOKEN.findall(_entity_fold(alias)))
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
    words = _CASED_TOKEN.findall(_entity_fold(text))
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


def entity_kind(entity_id: str) -> str:
    return ENTITIES[entity_id][0]


def entity_name(entity_id: str) -> str:
    return ENTITIES[entity_id][1]
