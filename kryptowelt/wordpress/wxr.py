"""Streaming reader for WordPress eXtended RSS (WXR) files, versions 1.0 to 1.2 (no Django).

The file is read with ElementTree's `iterparse` (through defusedxml, so entity tricks are
refused) and every child of `<channel>` is handed out and dropped as soon as it is complete:
memory holds one item at a time, however large the export. Bytes that XML forbids (C0
control characters, which old WordPress versions let into exports) are removed on the way
in and counted.

A file that is not WXR raises `WxrError` with a German message before the caller sees a
single item, so an importer can check a whole file (one pass) before writing anything."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/$")
_EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/excerpt/$")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
# XML 1.0 allows tab, newline and carriage return among the C0 controls; nothing else.
_FORBIDDEN_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHUNK = 64 * 1024


class WxrError(Exception):
    """The file cannot be read as a WordPress export; the message is German."""


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    generator: str = ""


@dataclass(slots=True)
class Author:
    login: str
    wp_id: str = ""
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass(slots=True)
class Term:
    """A category, tag or other term defined in the channel."""

    taxonomy: str  # "category", "post_tag", or the taxonomy of a <wp:term>
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""
    term_id: str = ""


@dataclass(slots=True)
class Item:
    wp_id: int
    post_type: str = ""
    status: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    modified: str = ""
    modified_gmt: str = ""
    post_name: str = ""
    parent: int = 0
    menu_order: int = 0
    password: str = ""
    sticky: bool = False
    attachment_url: str = ""
    # (domain, nicename, name) of every <category> element: categories, tags, formats…
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: list[tuple[str, str]] = field(default_factory=list)
    # Comments are counted, never kept: (status, type) → number.
    comments: Counter = field(default_factory=Counter)

    def meta_get(self, key: str, default: str = "") -> str:
        for meta_key, value in reversed(self.meta):
            if meta_key == key:
                return value
        return default

    def meta_all(self, key: str) -> list[str]:
        return [value for meta_key, value in self.meta if meta_key == key]

    def terms_of(self, domain: str) -> list[tuple[str, str]]:
        return [(slug, name) for term_domain, slug, name in self.terms if term_domain == domain]


class _CleanStream:
    """File wrapper that drops the bytes XML forbids and counts them."""

    def __init__(self, handle):
        self._handle = handle
        self.removed = 0

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size if size and size > 0 else _CHUNK)
        cleaned, count = _FORBIDDEN_BYTES.subn(b"", data)
        self.removed += count
        return cleaned


def _name(tag: str) -> str:
    """'{namespace}local' → 'prefix:local' with the WXR prefixes, whatever version."""
    if not tag.startswith("{"):
        return tag
    namespace, _, local = tag[1:].partition("}")
    if _WP_NAMESPACE.match(namespace):
        return f"wp:{local}"
    if _EXCERPT_NAMESPACE.match(namespace):
        return f"excerpt:{local}"
    prefix = _PREFIXES.get(namespace)
    return f"{prefix}:{local}" if prefix else local


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _int(value: str) -> int:
    try:
        return int(value.strip())
    except (ValueError, AttributeError):
        return 0


class WxrReader:
    """Iterate over a WXR file: yields Author, Term and Item objects in file order.

    `channel` is filled as its header elements go by (they precede the items)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.channel = Channel()
        self.removed_bytes = 0

    def __iter__(self):
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise WxrError(f"Die Datei kann nicht gelesen werden: {exc.strerror}.") from exc
        stream = _CleanStream(handle)
        try:
            yield from self._parse(stream)
        except ParseError as exc:
            line, column = getattr(exc, "position", (0, 0))
            raise WxrError(
                f"Die Datei ist kein gültiges XML (Zeile {line}, Spalte {column}). "
                "Bitte die Exportdatei unverändert aus WordPress (Werkzeuge → Daten "
                "exportieren) hochladen."
            ) from exc
        except DefusedXmlException as exc:
            raise WxrError(
                "Die Datei enthält XML-Konstrukte (DTD oder Entitäten), die eine "
                "WordPress-Exportdatei nie enthält; sie wird aus Sicherheitsgründen nicht gelesen."
            ) from exc
        finally:
            self.removed_bytes = stream.removed
            handle.close()

    def _parse(self, stream):
        depth = 0
        channel = None
        seen_channel = False
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 1 and _name(element.tag) != "rss":
                    raise WxrError(
                        "Die Datei ist keine WordPress-Exportdatei (WXR): Sie beginnt mit "
                        f"<{_name(element.tag)[:40]}> statt mit <rss>."
                    )
                if depth == 2 and _name(element.tag) == "channel":
                    channel, seen_channel = element, True
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            name = _name(element.tag)
            if name in {"item", "wp:author", "wp:category", "wp:tag", "wp:term"}:
                if not self.channel.wxr_version:
                    raise WxrError(
                        "Die Datei ist ein RSS-Feed, aber keine WordPress-Exportdatei (WXR): "
                        "Es fehlt die Angabe <wp:wxr_version>."
                    )
                yield self._child(name, element)
            else:
                self._header(name, element)
            channel.remove(element)
        if not seen_channel:
            raise WxrError("Die Datei ist keine WordPress-Exportdatei (WXR): <channel> fehlt.")
        if not self.channel.wxr_version:
            raise WxrError(
                "Die Datei ist keine WordPress-Exportdatei (WXR): Es fehlt die Angabe "
                "<wp:wxr_version>."
            )

    def _header(self, name: str, element) -> None:
        fields = {
            "title": "title",
            "link": "link",
            "description": "description",
            "language": "language",
            "generator": "generator",
            "wp:wxr_version": "wxr_version",
            "wp:base_site_url": "base_site_url",
            "wp:base_blog_url": "base_blog_url",
        }
        if name in fields:
            setattr(self.channel, fields[name], _text(element))

    def _child(self, name: str, element):
        if name == "item":
            return _item(element)
        values = {_name(child.tag): _text(child) for child in element}
        if name == "wp:author":
            return Author(
                login=values.get("wp:author_login", ""),
                wp_id=values.get("wp:author_id", ""),
                email=values.get("wp:author_email", ""),
                display_name=values.get("wp:author_display_name", ""),
                first_name=values.get("wp:author_first_name", ""),
                last_name=values.get("wp:author_last_name", ""),
            )
        if name == "wp:category":
            return Term(
                taxonomy="category",
                slug=values.get("wp:category_nicename", ""),
                name=values.get("wp:cat_name", ""),
                parent_slug=values.get("wp:category_parent", ""),
                description=values.get("wp:category_description", ""),
                term_id=values.get("wp:term_id", ""),
            )
        if name == "wp:tag":
            return Term(
                taxonomy="post_tag",
                slug=values.get("wp:tag_slug", ""),
                name=values.get("wp:tag_name", ""),
                description=values.get("wp:tag_description", ""),
                term_id=values.get("wp:term_id", ""),
            )
        return Term(
            taxonomy=values.get("wp:term_taxonomy", ""),
            slug=values.get("wp:term_slug", ""),
            name=values.get("wp:term_name", ""),
            parent_slug=values.get("wp:term_parent", ""),
            description=values.get("wp:term_description", ""),
            term_id=values.get("wp:term_id", ""),
        )


_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_date": "post_date",
    "wp:post_date_gmt": "post_date_gmt",
    "wp:post_modified": "modified",
    "wp:post_modified_gmt": "modified_gmt",
    "wp:post_name": "post_name",
    "wp:status": "status",
    "wp:post_type": "post_type",
    "wp:post_password": "password",
    "wp:attachment_url": "attachment_url",
}


def _item(element) -> Item:
    item = Item(wp_id=0)
    for child in element:
        name = _name(child.tag)
        if name in _ITEM_FIELDS:
            # Content keeps its whitespace (classic posts separate paragraphs by blank lines).
            value = child.text or ""
            if name not in {"content:encoded", "excerpt:encoded"}:
                value = value.strip()
            setattr(item, _ITEM_FIELDS[name], value)
        elif name == "wp:post_id":
            item.wp_id = _int(_text(child))
        elif name == "wp:post_parent":
            item.parent = _int(_text(child))
        elif name == "wp:menu_order":
            item.menu_order = _int(_text(child))
        elif name == "wp:is_sticky":
            item.sticky = _text(child) == "1"
        elif name == "category":
            item.terms.append(
                (child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip())
            )
        elif name == "wp:postmeta":
            values = {_name(part.tag): part.text or "" for part in child}
            key = values.get("wp:meta_key", "").strip()
            if key:
                item.meta.append((key, values.get("wp:meta_value", "")))
        elif name == "wp:comment":
            values = {_name(part.tag): _text(part) for part in child}
            status = values.get("wp:comment_approved", "")
            kind = values.get("wp:comment_type", "") or "comment"
            item.comments[(status, kind)] += 1
    return item
