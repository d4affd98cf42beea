"""`wordpress_import()`: a WXR export into the site, in passes over the streamed file.

1. Index (wordpress/index.py): the whole file is read once and checked; a file that is not
   a complete WXR export stops the import here, before anything is written.
2. Authors, categories and tags (→ author snippets and topics, with their old archive URLs).
3. Attachments (→ images and documents, from --media-dir or --fetch-media).
4. Posts and pages, in file order; a page whose parent page comes later waits for a
   further pass. Each item is converted (wordpress/convert.py), then written in its own
   transaction: it is complete or absent, and an item that fails is reported and skipped.
5. Items that linked to posts imported after them are converted again, so that every
   internal link points to the new page.
6. Old attachment pages redirect to the post they belong to.

`dry_run` runs the same passes and conversion but writes nothing (not even the cache).
Re-running updates changed items and leaves unchanged ones untouched (services.py)."""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.core.models import pillar_reverse
from kryptowelt.news.models import SectionPage
from kryptowelt.wordpress import oldurls, services
from kryptowelt.wordpress.attachments import AttachmentPass
from kryptowelt.wordpress.content import ContentPass
from kryptowelt.wordpress.index import SiteIndex, build_index
from kryptowelt.wordpress.media import MediaDir, MediaFetcher, NoMedia
from kryptowelt.wordpress.models import WordPressObject
from kryptowelt.wordpress.report import Report
from kryptowelt.wordpress.resolve import ImportState, Resolver
from kryptowelt.wordpress.sections import SectionChooser, SectionMap, SectionMapError
from kryptowelt.wordpress.wxr import Item, WxrError, WxrReader

logger = logging.getLogger(__name__)


class WordPressImportError(Exception):
    """The import cannot start; the message is German. Nothing has been written."""


@dataclass
class ImportOptions:
    path: Path
    media_dir: Path | None = None
    fetch_media: bool = False
    http_client: httpx.Client | None = None
    section_map: SectionMap = field(default_factory=SectionMap)
    default_section: str = ""
    dry_run: bool = False
    category_base: str = "category"
    tag_base: str = "tag"
    user: object = None


Progress = Callable[[str, int, int], None]


def wordpress_import(options: ImportOptions, *, progress: Progress | None = None) -> Report:
    started = time.monotonic()
    try:
        index = build_index(
            options.path, category_base=options.category_base, tag_base=options.tag_base
        )
    except WxrError as exc:
        raise WordPressImportError(str(exc)) from exc
    run = ImportRun(options, index, progress=progress)
    run.execute()
    run.report.seconds = time.monotonic() - started
    return run.report


def _home_page() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise WordPressImportError(
            "Es gibt noch keine Website mit Startseite. Zuerst „kryptowelt migrate“ und "
            "„kryptowelt demo“ ausführen oder im Admin eine Startseite anlegen."
        )
    return site.root_page.specific


def _media_source(options: ImportOptions, index: SiteIndex):
    if options.media_dir is not None:
        if not Path(options.media_dir).is_dir():
            raise WordPressImportError(f"Medienordner nicht gefunden: {options.media_dir}")
        return MediaDir(options.media_dir, max_bytes=settings.WORDPRESS_MEDIA_MAX_BYTES)
    if options.fetch_media:
        return MediaFetcher(
            hosts=index.hosts,
            max_bytes=settings.WORDPRESS_MEDIA_MAX_BYTES,
            timeout=settings.WORDPRESS_FETCH_TIMEOUT,
            interval=settings.WORDPRESS_FETCH_INTERVAL,
            client=options.http_client,
        )
    return NoMedia()


class ImportRun(AttachmentPass, ContentPass):
    """One import: the passes over the file, with the state they share."""

    def __init__(self, options: ImportOptions, index: SiteIndex, *, progress=None):
        self.options, self.index, self.progress = options, index, progress
        self.dry_run = options.dry_run
        self.home = _home_page()
        self.sections = {page.slug: page for page in SectionPage.objects.descendant_of(self.home)}
        try:
            self.chooser = SectionChooser(
                index=index,
                sections={slug: page.title for slug, page in self.sections.items()},
                section_map=options.section_map,
                default=options.default_section or settings.WORDPRESS_DEFAULT_SECTION,
            )
        except SectionMapError as exc:
            raise WordPressImportError(str(exc)) from exc
        self.media = _media_source(options, index)
        self.report = Report(dry_run=self.dry_run, source=Path(options.path).name)
        self.state = ImportState()
        self.resolver = Resolver(
            index=index, state=self.state, dry_run=self.dry_run, will_import=self._will_import
        )
        self.mappings = {
            (mapping.kind, mapping.wp_key): mapping
            for mapping in WordPressObject.objects.filter(site=index.site_key)
        }
        self._state_from_mappings()
        self.authors, self.topics = {}, {}
        self.relink: set[int] = set()
        self.deferred: set[int] = set()
        self._pending_notes: list[str] = []
        self._block_types = None
        self.done = 0
        self.total = (
            len(index.authors)
            + len(index.categories)
            + len(index.tags)
            + sum(
                1
                for entry in index.entries.values()
                if entry.post_type in {"post", "page", "attachment"}
            )
        )

    # --- the passes ----------------------------------------------------------------------
    def execute(self) -> None:
        self._counts_from_index()
        self._authors()
        self._terms()
        self._each_item({"attachment"}, self._attachment, "Medien")
        self._each_item({"post", "page"}, self._content_or_defer, "Beiträge und Seiten")
        self._deferred_pages()
        self._relink_pass()
        self._attachment_pages()
        if not self.dry_run:
            changed(Scope.CONTENT)

    def _each_item(self, post_types, handle, stage: str, only=None, count=True) -> None:
        """One streaming pass: `handle` each item of the types (and ids, if `only`)."""
        for thing in WxrReader(self.options.path):
            if not isinstance(thing, Item) or thing.post_type not in post_types:
                continue
            if only is not None and thing.wp_id not in only:
                continue
            handle(thing)
            if count:
                self._tick(stage)

    def _tick(self, stage: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(stage, min(self.done, self.total), self.total)

    def _guarded(self, kind: str, label: str, write) -> object:
        """Run `write` in its own transaction; a failure is reported, nothing stays."""
        if self.dry_run:
            return write()
        try:
            with transaction.atomic():
                return write()
        except Exception as exc:  # any failure of one item must not stop the others
            logger.warning("WordPress-Import: %s fehlgeschlagen", label, exc_info=True)
            self.report.count(kind, "failed")
            reason = str(exc).strip() or exc.__class__.__name__
            self.report.detail("failed", item=label, text=f"nicht gespeichert: {reason[:300]}")
            return None

    def _will_import(self, wp_id: int) -> bool:
        entry = self.index.entries.get(wp_id)
        return entry is not None and entry.status not in {"trash", "auto-draft", "inherit"}

    def _state_from_mappings(self) -> None:
        for (kind, key), mapping in self.mappings.items():
            if not key.isdigit():
                continue
            if kind in {"post", "page"} and mapping.page_id:
                self.state.pages[int(key)] = mapping.page_id
            elif kind == "attachment" and mapping.image_id:
                self.state.images[int(key)] = mapping.image_id
            elif kind == "attachment" and mapping.document_id:
                self.state.documents[int(key)] = mapping.document_id

    def _counts_from_index(self) -> None:
        for (status, _comment_type), number in self.index.comments.items():
            self.report.comments[
                {"1": "approved", "0": "pending"}.get(status, status or "unknown")
            ] += number
        self.report.other_types.update(self.index.other_types)
        if self.index.removed_bytes:
            self.report.detail(
                "notes",
                item="Datei",
                text=f"{self.index.removed_bytes} in XML unzulässige Steuerzeichen entfernt",
            )

    # --- authors and terms ---------------------------------------------------------------
    def _authors(self) -> None:
        for login, author in self.index.authors.items():
            name = html.unescape(
                author.display_name or f"{author.first_name} {author.last_name}".strip() or login
            )
            paths = oldurls.author_paths(
                login=login, wp_id=author.wp_id, blog_path=self.index.blog_path
            )
            self._author_write(login, name, paths, guid=author.email)
            self._tick("Autor/innen")

    def _author_write(self, login: str, name: str, paths: list[str], guid: str = ""):
        existing = self.mappings.get(("author", login))
        label = f"Autor/in {login}"
        if self.dry_run:
            self.report.count("author", "unchanged" if existing else "created")
            return None

        def write():
            outcome, author = services.author_import(name=name, existing=existing)
            url = author.get_absolute_url()
            services.mapping_save(
                existing, site=self.index.site_key, kind="author", key=login, title=name,
                author=author, content_hash=services.content_hash(name), old_paths=paths,
            )  # fmt: skip
            if url:
                self.report.redirects.update(
                    services.redirects_ensure(
                        paths=paths, link=url, owned=existing.old_paths if existing else ()
                    )
                )
            self.state.author_urls[login] = url
            self.report.count("author", outcome)
            return author

        author = self._guarded("author", label, write)
        if author is not None:
            self.authors[login] = author
        return author

    def _author_for(self, login: str):
        login = login or ""
        if login in self.authors or self.dry_run:
            return self.authors.get(login)
        name = self.index.channel.title or "Redaktion"
        if login:
            name = login
            self.report.detail(
                "notes",
                item=f"Autor/in {login}",
                text="nicht in der Autorenliste des Exports – mit dem Login als Namen angelegt",
            )
        return self._author_write(login, name, [])

    def _terms(self) -> None:
        topic_index = pillar_reverse("topics:topic", slug="x").removesuffix("x/")
        for kind, terms in (("category", self.index.categories), ("tag", self.index.tags)):
            for slug, term in terms.items():
                self._term(kind, slug, term, topic_index)
                self._tick("Kategorien und Schlagwörter")

    def _term(self, kind: str, slug: str, term, topic_index: str) -> None:
        name = html.unescape(term.name or slug)
        existing = self.mappings.get((kind, slug))
        if kind == "category":
            paths = oldurls.category_paths(
                chain=self.index.category_chain(slug), term_id=term.term_id,
                base=self.options.category_base, blog_path=self.index.blog_path,
            )  # fmt: skip
            section_slug = self.chooser.for_category(slug)
            if section_slug is None and not self.index.term_use[("category", slug)]:
                # No public post in it: its topic page would be empty (404); the section
                # its posts would go to instead.
                section_slug = self.chooser.for_categories([slug])
        else:
            paths = oldurls.tag_paths(
                slug=slug, base=self.options.tag_base, blog_path=self.index.blog_path
            )
            section_slug = None
        if self.dry_run:
            self.report.count(kind, "unchanged" if existing else "created")
            return

        def write():
            outcome, topic = services.topic_ensure(name=name)
            if outcome == "created" and term.description:
                topic.description = html.unescape(term.description)
                topic.save(update_fields=["description"])
            if existing is None:
                outcome = "created"  # for this category or tag (the topic may be shared)
            elif existing.topic_id == topic.pk:
                outcome = "unchanged"
            else:
                outcome = "updated"
            services.mapping_save(
                existing, site=self.index.site_key, kind=kind, key=slug, title=name,
                topic=topic, content_hash=services.content_hash(name), old_paths=paths,
            )  # fmt: skip
            section = self.sections.get(section_slug) if section_slug else None
            url = f"{topic_index}{topic.slug}/" if topic_index else ""
            if kind == "tag" and not self.index.term_use[("post_tag", slug)]:
                url = topic_index  # no public post: the list of all topics
            if section is not None:
                url = section.url
            if section is not None or url:
                self.report.redirects.update(
                    services.redirects_ensure(
                        paths=paths,
                        page=section,
                        link="" if section else url,
                        owned=existing.old_paths if existing else (),
                    )  # fmt: skip
                )
            self.state.term_urls[(kind, slug)] = url
            self.report.count(kind, outcome)
            return topic

        topic = self._guarded(
            kind, f"{'Kategorie' if kind == 'category' else 'Schlagwort'} {slug}", write
        )
        if topic is not None:
            self.topics[(kind, slug)] = topic
