"""What an old address or attachment has become: the converter asks, this answers from the
export's index and the objects imported so far (no database queries per link).

Links to posts and pages become Wagtail page links (they follow the page if it moves);
links to files become links to the imported image or document; links to category, tag and
author archives go to the topic, section or author page. A link to a trashed or unknown
item loses its address (the text stays) and is reported. A link to a post that is imported
later in the same run is remembered (`pending`), and the importer converts that item again
once everything exists."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kryptowelt.wordpress import oldurls
from kryptowelt.wordpress.convert import ImageLookup, Link

CONTENT_STATUSES_SKIPPED = {"trash", "auto-draft", "inherit"}


@dataclass
class ImportState:
    """Everything imported so far, by WordPress key (filled from the mapping table first)."""

    pages: dict[int, int] = field(default_factory=dict)  # post/page id → Page pk
    images: dict[int, int] = field(default_factory=dict)  # attachment id → image pk
    file_urls: dict[int, str] = field(default_factory=dict)  # attachment id → file URL
    documents: dict[int, int] = field(default_factory=dict)  # attachment id → document pk
    missing: set[int] = field(default_factory=set)  # attachments whose file is missing
    term_urls: dict[tuple[str, str], str] = field(default_factory=dict)
    author_urls: dict[str, str] = field(default_factory=dict)


class Resolver:
    def __init__(self, *, index, state: ImportState, dry_run: bool, will_import=None):
        self.index = index
        self.state = state
        self.dry_run = dry_run
        # Dry runs write nothing, so "will it exist" is answered from the index.
        self.will_import = will_import or (lambda wp_id: False)
        self.counts = Counter()
        self.problems: list[str] = []
        self.pending = False

    def begin(self) -> None:
        self.counts = Counter()
        self.problems = []
        self.pending = False

    # --- links -------------------------------------------------------------------------
    def link(self, href: str) -> Link:
        raw = oldurls.raw_path(href, self.index.hosts)
        if raw is None:
            return Link("keep")
        self.counts["internal"] += 1
        key = oldurls.path_key(raw)
        if key in {"/", self.index.blog_path or "/"}:
            self.counts["rewritten"] += 1
            return Link("url", "/")
        relative = oldurls.uploads_relative(raw.split("?")[0], self.index.uploads_prefix)
        if relative is not None and ("/wp-content/uploads/" in raw or self.index.uploads_prefix):
            attachment = self.index.attachment_for_file(relative)
            if attachment is not None:
                return self._attachment_link(attachment, href)
        found = self.index.lookup_path(raw)
        if found is None:
            return self._unresolved(href, "unresolved", "Ziel unbekannt")
        kind, value = found
        if kind == "item":
            return self._item_link(int(value), href)
        url = (
            self.state.author_urls.get(value)
            if kind == "author"
            else self.state.term_urls.get((kind, value))
        )
        if url or self.dry_run:
            self.counts["rewritten"] += 1
            return Link("url", url) if url else Link("text")
        return self._unresolved(href, "unresolved", "Archivseite ohne Entsprechung")

    def _item_link(self, wp_id: int, href: str) -> Link:
        entry = self.index.entries.get(wp_id)
        if entry.post_type == "attachment":
            return self._attachment_link(wp_id, href)
        if entry.status in CONTENT_STATUSES_SKIPPED:
            return self._unresolved(href, "unpublished", "Ziel liegt im Papierkorb")
        page = self.state.pages.get(wp_id)
        if page is not None:
            self.counts["rewritten"] += 1
            return Link("page", page)
        if self.dry_run and self.will_import(wp_id):
            self.counts["rewritten"] += 1
            return Link("text")
        # Imported later in this run: keep the old address (it redirects) until then.
        self.pending = True
        self.counts["rewritten"] += 1
        return Link("keep")

    def _attachment_link(self, wp_id: int, href: str) -> Link:
        if wp_id in self.state.documents:
            self.counts["rewritten"] += 1
            return Link("document", self.state.documents[wp_id])
        if wp_id in self.state.file_urls:
            self.counts["rewritten"] += 1
            return Link("url", self.state.file_urls[wp_id])
        if self.dry_run and wp_id not in self.state.missing:
            self.counts["rewritten"] += 1
            return Link("text")
        return self._unresolved(href, "unresolved", "Mediendatei fehlt")

    def _unresolved(self, href: str, kind: str, why: str) -> Link:
        self.counts[kind] += 1
        self.problems.append(f"{href[:120]} ({why}; Link entfernt, Text bleibt)")
        return Link("text")

    # --- images ------------------------------------------------------------------------
    def image(self, *, wp_id: int | None, url: str) -> ImageLookup:
        if wp_id is None or wp_id not in self.index.attachments:
            by_url = self.index.attachment_for_url(url) if url else None
            if by_url is None:
                if oldurls.raw_path(url, self.index.hosts) is None and url.startswith(
                    ("http", "//")
                ):
                    return ImageLookup(None, problem=f"externe Adresse {url[:120]}")
                return ImageLookup(None, problem=f"nicht im Export: {url[:120] or wp_id}")
            wp_id = by_url
        attachment = self.index.attachments[wp_id]
        if wp_id in self.state.images:
            return ImageLookup(self.state.images[wp_id], caption=attachment.caption)
        if wp_id in self.state.missing:
            return ImageLookup(None, problem=f"Datei fehlt: {attachment.relative}")
        if self.dry_run:
            return ImageLookup(0, caption=attachment.caption)
        return ImageLookup(None, problem=f"nicht importiert: {attachment.relative}")
