"""Reading and checking the lexicon's term file (no Django imports; see the file's header
comment for its format)."""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

TERMS_FILE = Path(__file__).resolve().parent / "content" / "terms.toml"
# The length of the model field LexiconTermPage.short_definition.
MAX_SHORT_DEFINITION = 200

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")


class LexiconFileError(ValueError):
    """The term file breaks its format; the message says where, in German."""


@dataclass
class TermEntry:
    slug: str
    title: str
    variants: list[str]
    case_sensitive: bool
    autolink: bool
    short: str
    body: str
    related: list[str]
    sources: list[str] = field(default_factory=list)


def separate_lists(markdown_text: str) -> str:
    """Put a blank line before a list that directly follows a paragraph line, as Markdown
    requires ("Eckdaten:\\n- BTC" would otherwise stay one paragraph)."""
    lines = markdown_text.strip().split("\n")
    result: list[str] = []
    for line in lines:
        if (
            _LIST_ITEM.match(line)
            and result
            and result[-1].strip()
            and not _LIST_ITEM.match(result[-1])
        ):
            result.append("")
        result.append(line)
    return "\n".join(result)


def terms_read(*, path: Path = TERMS_FILE) -> list[TermEntry]:
    """All entries of a term file, checked: required fields, unique slugs and spellings,
    related slugs that exist. Raises LexiconFileError with a German message."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LexiconFileError(f"{path.name}: Datei nicht lesbar ({exc})") from exc
    raw_entries = data.get("term")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise LexiconFileError(f"{path.name}: keine [[term]]-Einträge gefunden")
    entries: list[TermEntry] = []
    slugs: set[str] = set()
    spellings: dict[str, str] = {}
    for number, raw in enumerate(raw_entries, start=1):
        where = f"{path.name}, Eintrag {number}"
        try:
            entry = TermEntry(
                slug=str(raw["slug"]).strip(),
                title=" ".join(str(raw["title"]).split()),
                variants=[
                    " ".join(str(v).split()) for v in raw.get("variants", []) if str(v).strip()
                ],
                case_sensitive=bool(raw.get("case_sensitive", False)),
                autolink=bool(raw.get("autolink", True)),
                short=" ".join(str(raw["short"]).split()),
                body=str(raw.get("body", "")).strip(),
                related=[str(s).strip() for s in raw.get("related", [])],
                sources=[str(s).strip() for s in raw.get("sources", [])],
            )
        except KeyError as exc:
            raise LexiconFileError(f"{where}: Pflichtfeld {exc.args[0]!r} fehlt") from exc
        where = f"{path.name}, Eintrag „{entry.slug}“"
        if not _SLUG.match(entry.slug):
            raise LexiconFileError(f"{where}: ungültiger Kurzname (nur a–z, 0–9 und -)")
        if entry.slug in slugs:
            raise LexiconFileError(f"{where}: Kurzname doppelt vergeben")
        slugs.add(entry.slug)
        if not entry.title or not entry.short:
            raise LexiconFileError(f"{where}: Titel und Kurzdefinition dürfen nicht leer sein")
        if len(entry.short) > MAX_SHORT_DEFINITION:
            raise LexiconFileError(
                f"{where}: Kurzdefinition länger als {MAX_SHORT_DEFINITION} Zeichen"
            )
        for spelling in [entry.title, *entry.variants]:
            key = spelling.casefold()
            if key in spellings and spellings[key] != entry.slug:
                raise LexiconFileError(
                    f"{where}: Schreibweise „{spelling}“ gehört schon zu „{spellings[key]}“"
                )
            spellings[key] = entry.slug
        entries.append(entry)
    for entry in entries:
        unknown = [slug for slug in entry.related if slug not in slugs or slug == entry.slug]
        if unknown:
            raise LexiconFileError(
                f"{path.name}, Eintrag „{entry.slug}“: unbekannte verwandte Begriffe {unknown}"
            )
    return entries
