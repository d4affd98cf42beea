"""`kryptowelt import_articles FILE`: articles from JSON Lines or CSV.

Each row is validated completely before anything is written; a bad row is reported with
its line number and reason and skipped, a good row is written in its own transaction.
Rows whose article already exists (same slug in the same section) are skipped, so running
an import twice creates no duplicates."""

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from kryptowelt.core.csv_limits import field_size_limit
from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.core.text import german_slugify, tag_name_clean, tag_name_meaningful
from kryptowelt.news.models import SectionPage
from kryptowelt.news.services import article_create, author_get_or_create

REQUIRED = ("title", "teaser", "body", "section", "published_at", "author")
MAX_TITLE = 255
MAX_TEASER = 600
MAX_TAG = 100
MAX_TAGS = 30
MAX_BODY_CHARS = 2_000_000


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self):
        return f"Zeile {self.line}: {self.message}"


@dataclass
class ArticleRow:
    line: int
    title: str
    teaser: str
    body: str
    section_slug: str
    tags: list[str]
    published_at: dt.datetime
    authors: list[str]
    slug: str
    refused_tags: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Datei kann nicht gelesen werden: {exc.strerror}") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("Datei ist weder UTF-8 noch Windows-1252 kodiert.")


def detect_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def read_rows(path: Path) -> Iterator[tuple[int, dict] | RowError]:
    """(line number, raw row) for every row, or a RowError for unreadable ones."""
    text = _decode(path)
    if detect_format(path, text) == "jsonl":
        yield from _read_jsonl(text)
    else:
        yield from _read_csv(text)


def _read_jsonl(text: str):
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RowError(number, f"kein gültiges JSON ({exc.msg}, Spalte {exc.colno})")
            continue
        if not isinstance(data, dict):
            yield RowError(number, "jede Zeile muss ein JSON-Objekt sein")
            continue
        yield number, data


def _read_csv(text: str) -> list[tuple[int, dict] | RowError]:
    """The rows of the whole file, read at once: article bodies are longer than the csv
    module's field limit, which is raised only while this file is read."""
    with field_size_limit(MAX_BODY_CHARS * 2):
        return list(_csv_rows(text))


def _csv_rows(text: str):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise ImportFileError("Die CSV-Datei ist leer.")
    missing = [name for name in REQUIRED if name not in reader.fieldnames]
    if missing:
        raise ImportFileError("In der Kopfzeile fehlen die Spalten: " + ", ".join(missing))
    start = reader.line_num + 1
    try:
        for row in reader:
            # A quoted field may span lines; report the line the row starts on.
            line, start = start, reader.line_num + 1
            if None in row:
                yield RowError(line, "mehr Felder als Spalten in der Kopfzeile")
                continue
            if not any((value or "").strip() for value in row.values() if value is not None):
                continue
            yield line, row
    except csv.Error as exc:
        yield RowError(start, f"CSV nicht lesbar ({exc})")


# --- validation -------------------------------------------------------------------------------


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"„{key}“ muss Text sein")
    return value.replace("\x00", "").strip()


def _tags(value) -> tuple[list[str], list[str]]:
    """(tags, tags refused): a tag without a letter or digit (only punctuation, emoji or
    invisible characters) becomes no topic; the row is imported without it."""
    if value is None or value == "":
        return [], []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError as exc:
                raise ValueError("„tags“ ist keine gültige JSON-Liste") from exc
        else:
            separator = ";" if ";" in stripped else ","
            value = stripped.split(separator)
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise ValueError("„tags“ muss eine Liste von Texten sein")
    tags, refused = [], []
    for raw in value:
        tag = tag_name_clean(raw)
        if not tag_name_meaningful(tag):
            if raw.strip():
                refused.append(" ".join(raw.split()))
            continue
        if len(tag) > MAX_TAG:
            raise ValueError(f"Schlagwort „{tag[:30]}…“ ist länger als {MAX_TAG} Zeichen")
        if tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValueError(f"höchstens {MAX_TAGS} Schlagwörter erlaubt")
    return tags, refused


def _authors(value) -> list[str]:
    if isinstance(value, list):
        names = value
    elif isinstance(value, str):
        names = value.split(";")
    else:
        raise ValueError("„author“ muss ein Name sein")
    names = [" ".join(str(name).split()) for name in names if str(name).strip()]
    if not names:
        raise ValueError("Pflichtfeld „author“ ist leer")
    if any(len(name) > 120 for name in names):
        raise ValueError("Autorenname länger als 120 Zeichen")
    return names


def _published_at(value) -> dt.datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("Pflichtfeld „published_at“ ist leer")
    text = value.strip()
    try:
        parsed = parse_datetime(text.replace(" ", "T", 1) if "T" not in text else text)
        if parsed is None:
            day = parse_date(text)
            parsed = dt.datetime.combine(day, dt.time(8, 0)) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(f"„published_at“ „{text[:40]}“ ist kein Datum nach ISO 8601")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed.year < 1990:
        raise ValueError("„published_at“ liegt vor 1990")
    return parsed


def validate_row(line: int, raw: dict, section_slugs: set[str]) -> ArticleRow | RowError:
    try:
        missing = [key for key in REQUIRED if raw.get(key) in (None, "", [])]
        if missing:
            return RowError(line, "Pflichtfeld fehlt: " + ", ".join(f"„{m}“" for m in missing))
        title = " ".join(_text(raw, "title").split())
        teaser = _text(raw, "teaser")
        body = _text(raw, "body")
        section = _text(raw, "section").lower()
        slug_source = _text(raw, "slug") or title
        if not title:
            return RowError(line, "Pflichtfeld „title“ ist leer")
        if len(title) > MAX_TITLE:
            return RowError(line, f"Titel ist länger als {MAX_TITLE} Zeichen")
        if not teaser:
            return RowError(line, "Pflichtfeld „teaser“ ist leer")
        if len(teaser) > MAX_TEASER:
            return RowError(line, f"Vorspann ist länger als {MAX_TEASER} Zeichen")
        if not body:
            return RowError(line, "Pflichtfeld „body“ ist leer")
        if len(body) > MAX_BODY_CHARS:
            return RowError(line, "Text ist größer als 2 MB")
        if section not in section_slugs:
            return RowError(
                line,
                f"Rubrik „{section[:40]}“ gibt es nicht (möglich: {', '.join(sorted(section_slugs))})",
            )
        slug = german_slugify(slug_source)[:80].strip("-")
        if not slug:
            return RowError(line, "aus Titel/Slug lässt sich keine Adresse bilden")
        tags, refused_tags = _tags(raw.get("tags"))
        return ArticleRow(
            line=line,
            title=title,
            teaser=teaser,
            body=body,
            section_slug=section,
            tags=tags,
            refused_tags=refused_tags,
            published_at=_published_at(raw.get("published_at")),
            authors=_authors(raw.get("author")),
            slug=slug,
        )
    except ValueError as exc:
        return RowError(line, str(exc))


# --- importing --------------------------------------------------------------------------------


def import_articles(
    path: Path, *, progress: Callable[[Iterator], Iterator] | None = None, dry_run: bool = False
) -> ImportReport:
    sections = {page.slug: page for page in SectionPage.objects.all()}
    report = ImportReport()
    rows = list(read_rows(Path(path)))
    seen: set[tuple[str, str]] = set()
    iterator = progress(rows) if progress else rows
    for item in iterator:
        if isinstance(item, RowError):
            report.errors.append(item)
            continue
        line, raw = item
        row = validate_row(line, raw, set(sections))
        if isinstance(row, RowError):
            report.errors.append(row)
            continue
        section = sections[row.section_slug]
        key = (row.section_slug, row.slug)
        if key in seen or section.get_children().filter(slug=row.slug).exists():
            report.skipped.append(f"Zeile {line}: „{row.title}“ existiert bereits")
            seen.add(key)
            continue
        seen.add(key)
        report.notes.extend(
            f"Zeile {line}: Schlagwort „{tag}“ nicht übernommen – ein Schlagwort braucht "
            "mindestens einen Buchstaben oder eine Ziffer"
            for tag in row.refused_tags
        )
        blocks = markdown_to_blocks(row.body)
        if not blocks:
            report.errors.append(RowError(line, "„body“ enthält keinen Text"))
            continue
        if dry_run:
            report.created.append(row.title)
            continue
        try:
            article_create(
                section=section,
                title=row.title,
                teaser=row.teaser,
                body=blocks,
                authors=[author_get_or_create(name=name) for name in row.authors],
                tags=row.tags,
                slug=row.slug,
                published_at=row.published_at,
            )
        except (DatabaseError, ValidationError, ValueError) as exc:
            if section.get_children().filter(slug=row.slug).exists():
                # Another import of the same file (or an editor) wrote it meanwhile.
                report.skipped.append(
                    f"Zeile {line}: „{row.title}“ existiert bereits (gerade von einem "
                    "gleichzeitig laufenden Import oder in der Redaktion angelegt)"
                )
            else:
                reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc
                report.errors.append(RowError(line, f"konnte nicht gespeichert werden ({reason})"))
            continue
        report.created.append(row.title)
    return report
