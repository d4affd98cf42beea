"""Plain text out of StreamField bodies, for search, reading time and feeds."""

import html
import re
import unicodedata

from django.utils.text import slugify

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(markup: str) -> str:
    """Fast tag stripping for trusted, editor-made rich text (not a sanitiser)."""
    if not markup:
        return ""
    text = _BLOCK_END.sub(" ", markup)
    text = _TAG.sub("", text)
    return _SPACE.sub(" ", html.unescape(text)).strip()


def _value_text(value) -> list[str]:
    if value is None:
        return []
    if hasattr(value, "source"):  # RichText
        return [html_to_text(value.source)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) or hasattr(value, "items"):
        parts = []
        for key, item in value.items():
            if key in {"image", "embed", "level"}:
                continue
            parts.extend(_value_text(item))
        return parts
    if isinstance(value, list | tuple):
        parts = []
        for item in value:
            parts.extend(_value_text(item))
        return parts
    return []


def stream_plain_text(stream) -> str:
    """All readable text of a StreamField value, blocks separated by blank lines."""
    if not stream:
        return ""
    parts = []
    for block in stream:
        parts.extend(part for part in _value_text(block.value) if part)
    return "\n\n".join(parts)


def word_count(text: str) -> int:
    return len(text.split())


def german_slugify(text: str) -> str:
    """ASCII slugs the German way: "Börsen" -> "boersen", "Straße" -> "strasse"."""
    for source, target in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(source, target).replace(source.upper(), target.capitalize())
    return slugify(text)


TAG_WITHOUT_LETTERS = (
    "Ein Schlagwort braucht mindestens einen Buchstaben oder eine Ziffer (z. B. „Bitcoin“, "
    "„C++“, „Web3“); nur Satzzeichen, Emojis oder unsichtbare Zeichen ergeben kein Thema."
)


def tag_name_clean(name: str) -> str:
    """A tag as its author meant it: Unicode NFC, without invisible format characters
    (zero-width spaces and joiners, byte order marks), whitespace collapsed."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(char for char in name if unicodedata.category(char) != "Cf")
    return " ".join(name.split())


def tag_name_meaningful(name: str) -> bool:
    """A topic needs at least one letter or digit: "C++" and "Web3" are topics, "🚀", "…"
    and "#" are not."""
    return any(char.isalnum() for char in name)
