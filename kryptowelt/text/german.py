"""The one German text analysis of the site (pure Python, no Django imports).

Site search, "Weitere interessante Artikel", the Krypto-Lexikon's term links and the coin
mentions all read German text through this module:

* `normalise` – Unicode NFC, case folding, one kind of dash and apostrophe, no soft hyphens
  or zero-width characters.
* `fold` – `normalise` plus umlaut and ß folding (ä→a, ö→o, ü→u, ß→ss), for matching;
  `fold_transcriptions` also folds the "ae/oe/ue" spellings ("Boerse" = "Börse").
* `words` – plain words (letters and digits): what the search index stores.
* `tokenise` – words and the terms of this domain that a plain word splitter breaks apart:
  "Layer-2", "BTC/EUR", "97,4", "Proof-of-Stake", "z.B.".
* `stem` – Snowball German (PyStemmer), cached. The stemmer folds umlauts, ß and the
  "ae/oe/ue" spellings itself: "Börsen", "BÖRSE" and "Boerse" give one stem.
* `STOP_WORDS` – the one stop-word list (the maintained `stop-words` package plus a few
  news words); `SEARCH_STOP_WORDS` is the short part of it that search drops from queries,
  `FOLDED_STOP_WORDS` the whole list folded like `fold` output.
* `index_terms` – the terms a bag-of-words model counts: stop words and bare numbers
  dropped, stems, hyphenated compounds kept whole *and* split into their parts
  ("Bitcoin-ETF" → "bitcoin-etf", "bitcoin", "etf").
* `split_lead` – the first sentence (title/teaser-like) and the rest of a text.
* `inflected_forms` – a name and its regular German endings ("Wallet" → "Wallets", …);
  `NAME_ENDINGS` the genitive/plural endings names take ("Bitcoins").
* `lower_keeping_offsets` – lower case with the same length, so match offsets stay valid.

Closed compounds ("Kryptobörse") are not split: the splitters we tried did not move the
precision of related articles measurably (see docs/related.md).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain

import Stemmer
from stop_words import get_stop_words

# --- normalising -----------------------------------------------------------------------------
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
_TRANSCRIBED_UMLAUT = re.compile(r"([aou])e")


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


def fold_transcriptions(text: str) -> str:
    """`fold` plus "ae/oe/ue" → "a/o/u", so that "Boerse Stuttgart" finds "Börse Stuttgart".
    Apply it to both sides of a comparison, so words like "Michael" stay matchable."""
    return _TRANSCRIBED_UMLAUT.sub(r"\1", fold(text))


def lower_keeping_offsets(text: str) -> str:
    """Lower case with the same length as `text` (unlike "ẞ".lower() in some cases or
    casefold's "ß" → "ss"), so offsets of matches in the result are valid in `text`."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# --- tokens ----------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words joined by "-", "/", ".", ",", "+", "&" or an apostrophe stay one term when a word
# character follows the joiner: "Layer-2", "BTC/EUR", "97,4", "z.B", "S&P", "Moody's".
_TOKEN = re.compile(r"[^\W_]+(?:[-/.,+&'][^\W_]+)*", re.UNICODE)
_JOINERS = re.compile(r"[-/.,+&']")
_NUMBER = re.compile(r"^[\d.,/+\-&']+$")
_SENTENCE_END = re.compile(r"(?<=[^\W\d_][.!?])[\"'»«“”]?\s+(?=[\"'»«“„]?[A-ZÄÖÜ0-9])")

MAX_TOKEN_CHARS = 40  # longer "words" are URLs, hashes or garbage
MIN_TERM_CHARS = 2


def words(text: str) -> list[str]:
    """Normalised plain words (runs of letters and digits): "Bitcoin-ETF" → bitcoin, etf."""
    return _WORD.findall(normalise(text))


def tokenise(text: str) -> list[str]:
    """Normalised tokens (not folded, not stemmed); keeps "layer-2", "btc/eur", "97,4"."""
    return [token for token in _TOKEN.findall(normalise(text)) if len(token) <= MAX_TOKEN_CHARS]


def split_lead(text: str) -> tuple[str, str]:
    """The first sentence and the rest. Used when a text has no separate title or teaser."""
    text = text.strip()
    match = _SENTENCE_END.search(text, 0, 600)
    if match is None:
        return ("", text) if len(text) > 600 else (text, "")
    return text[: match.start() + 1].strip(), text[match.end() :].strip()


# --- stems and stop words --------------------------------------------------------------------
_stemmer = Stemmer.Stemmer("german")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball German stem of a normalised (or folded) word: "börsen" → "bors"."""
    return _stemmer.stemWord(word)


# Frequent in news text, carrying no topic.


def stem_text(text: str) -> str:
    """Space-separated stems of every word."""
    return " ".join(stem(word) for word in words(text))


def search_stem_text(text: str) -> str:
    """Space-separated stems of the words search can look for (what the search index
    stores): `SEARCH_STOP_WORDS` left out, as search leaves them out of queries, and by the
    word, not the stem ("Sicherheit" → "sich", the stem, not the pronoun)."""
    return " ".join(stem(word) for word in words(text) if word not in SEARCH_STOP_WORDS)


_NEWS_STOP_WORDS = """
    sagt sagte sagten erklärt erklärte laut bereits zudem sowie etwa rund seit gibt gab
    wurde wurden worden werden wird ab heute gestern morgen jahr jahre jahren prozent
    montag dienstag mittwoch donnerstag freitag samstag sonntag mehr neue neuen beim
    ja nein mal schon immer dabei dafür dass daß ersten erste zwei drei vier fünf
    z.b u.a d.h bzw usw ca vgl
    """.split()

STOP_WORDS = frozenset(normalise(word) for word in (*get_stop_words("de"), *_NEWS_STOP_WORDS))
FOLDED_STOP_WORDS = frozenset(_fold_normalised(word) for word in STOP_WORDS)
# The function words a reader's search query can do without; kept short on purpose, so
# that a query of meaningful words ("mehr", "neue") is never emptied.
SEARCH_STOP_WORDS = frozenset(
    """
    aber alle als also am an auch auf aus bei bin bis bist da damit dann das dass dem den
    der des die dies diese dieser doch du durch ein eine einem einen einer eines er es
    für hat hatte ich ihr im in ist ja kann kein mit nach nicht noch nur ob oder sich sie
    sind so um und uns von vor war was wie wir wird zu zum zur über
    """.split()
)


# --- terms -----------------------------------------------------------------------------------
@lru_cache(maxsize=200_000)
def _token_terms(token: str, stemming: bool = True, parts: bool = True) -> tuple[str, ...]:
    if len(token) > MAX_TOKEN_CHARS:
        return ()
    folded = _fold_normalised(token)
    if _NUMBER.match(folded):
        # Bare numbers ("2024", "97,4") match across unrelated texts; only years keep
        # some topic signal, so only they stay.
        return (folded,) if len(folded) == 4 and folded.isdigit() else ()
    if folded in FOLDED_STOP_WORDS:
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
            if len(piece) >= MIN_TERM_CHARS
            and piece not in FOLDED_STOP_WORDS
            and not piece.isdigit()
        ),
    )


def index_terms(text: str, *, stemming: bool = True, parts: bool = True) -> list[str]:
    """The terms a bag-of-words model counts for `text`, in text order (with repetitions).

    `stemming=False` and `parts=False` exist for the ablation benchmark only."""
    tokens = _TOKEN.findall(normalise(text))
    if stemming and parts:
        return list(chain.from_iterable(map(_token_terms, tokens)))
    return list(chain.from_iterable(_token_terms(token, stemming, parts) for token in tokens))


# --- inflected names -------------------------------------------------------------------------
# Regular German endings of nouns and adjectives, added to a name that ends in a letter.
INFLECTION_ENDINGS = ("s", "n", "en", "e", "es", "er", "ern")
# Abbreviations in capitals ("ETF", "KYC") only take a plural/genitive "s" ("ETFs").
ABBREVIATION_ENDINGS = ("s",)
# What a proper name takes in running text: genitive and plural ("Bitcoins", "des Bitcoins").
NAME_ENDINGS = ("s", "es")


def _endings(name: str) -> tuple[str, ...]:
    if not name or not name[-1].isalpha():
        return ()
    last_word = name.split()[-1]
    if last_word.isupper() and len(last_word) <= 6:
        return ABBREVIATION_ENDINGS
    return INFLECTION_ENDINGS


def inflected_forms(name: str) -> list[str]:
    """The name and its regular German inflections, e.g. Wallet → Wallets, Wallet-Adressen;
    "ETF" → "ETFs" only. Spaces are collapsed; an empty name has no forms."""
    name = " ".join(name.split())
    if not name:
        return []
    return [name, *(name + ending for ending in _endings(name))]
