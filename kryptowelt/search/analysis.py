"""German word-form normalisation for the site search (no Django imports).

Search must find "Kryptowährungen" for "Kryptowährung", "Börsen" for "Börse" and "Börse"
for "Boerse" on SQLite too, whose full-text index knows nothing of German. So we index and
query Snowball German stems: the stemmer folds umlauts, "ae/oe/ue" spellings and ß, and
strips inflection endings. Every query reduces to at most MAX_QUERY_TERMS plain
alphanumeric stems, so no user input ever reaches the full-text query syntax."""

import re
import unicodedata
from functools import lru_cache

import Stemmer

MAX_QUERY_TERMS = 12
MAX_QUERY_CHARS = 500

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_stemmer = Stemmer.Stemmer("german")

# Function words that carry no meaning for search; kept short on purpose.
STOP_WORDS = frozenset(
    """
    aber alle als also am an auch auf aus bei bin bis bist da damit dann das dass dem den
    der des die dies diese dieser doch du durch ein eine einem einen einer eines er es
    für hat hatte ich ihr im in ist ja kann kein mit nach nicht noch nur ob oder sich sie
    sind so um und uns von vor war was wie wir wird zu zum zur über
    """.split()
)
# Query-syntax words of search engines; we always combine terms ourselves.
OPERATORS = frozenset({"and", "or", "not", "near"})


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def tokenize(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def stem_text(text: str) -> str:
    """Space-separated stems of every word, for the search index."""
    return " ".join(stem(word) for word in tokenize(text))


def query_terms(query: str) -> list[str]:
    """The words of a reader's query that search should look for (not yet stemmed)."""
    words = [word for word in tokenize(query[:MAX_QUERY_CHARS]) if word not in OPERATORS]
    meaningful = [word for word in words if word not in STOP_WORDS] or words
    seen: dict[str, str] = {}
    for word in meaningful:
        seen.setdefault(stem(word), word)
    return list(seen.values())[:MAX_QUERY_TERMS]


def query_stems(query: str) -> list[str]:
    return [stem(word) for word in query_terms(query)]
