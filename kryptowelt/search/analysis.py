"""What the site search stores and asks for (no Django imports).

Search must find "Kryptowährungen" for "Kryptowährung", "Börsen" for "Börse" and "Börse"
for "Boerse" on SQLite too, whose full-text index knows nothing of German. So we index and
query Snowball German stems of plain words (`kryptowelt.text`). Every query reduces to at
most MAX_QUERY_TERMS plain alphanumeric stems, so no user input ever reaches the full-text
query syntax."""

from kryptowelt.text import SEARCH_STOP_WORDS, stem, words

MAX_QUERY_TERMS = 12
MAX_QUERY_CHARS = 500

# Query-syntax words of search engines; we always combine terms ourselves.
OPERATORS = frozenset({"and", "or", "not", "near"})


def query_terms(query: str) -> list[str]:
    """The words of a reader's query that search should look for (not yet stemmed)."""
    found = [word for word in words(query[:MAX_QUERY_CHARS]) if word not in OPERATORS]
    meaningful = [word for word in found if word not in SEARCH_STOP_WORDS] or found
    seen: dict[str, str] = {}
    for word in meaningful:
        seen.setdefault(stem(word), word)
    return list(seen.values())[:MAX_QUERY_TERMS]


def query_stems(query: str) -> list[str]:
    return [stem(word) for word in query_terms(query)]
