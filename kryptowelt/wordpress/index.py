"""The first pass over an export: everything the import must know before it writes (no
Django).

One streaming read of the file checks that it is a complete, readable WXR file and keeps a
small summary per item (no content): status, slug, old addresses, which attachment a file
name (with WordPress's size variants) belongs to, the terms and authors, reusable blocks,
and the counts for the report. Memory grows with the number of items by a few hundred
bytes each, never with the size of their content."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from kryptowelt.wordpress import oldurls
from kryptowelt.wordpress.phpserial import php_unserialize
from kryptowelt.wordpress.wxr import Author, Channel, Item, Term, WxrReader

CONTENT_TYPES = {"post", "page"}
_SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated|e\d{10,})(?=\.\w+$)")


@dataclass(slots=True)
class Entry:
    wp_id: int
    post_type: str
    status: str
    slug: str
    title: str
    parent: int
    guid: str
    paths: list[str]
    password: bool = False


@dataclass(slots=True)
class Attachment:
    wp_id: int
    title: str
    url: str
    relative: str  # below wp-content/uploads, e.g. "2021/03/chart.png"
    original: str  # the unscaled original, when WordPress made a "-scaled" copy
    alt: str
    caption: str
    credit: str
    parent: int


@dataclass
class SiteIndex:
    channel: Channel = field(default_factory=Channel)
    hosts: set[str] = field(default_factory=set)
    site_key: str = ""
    blog_path: str = ""
    uploads_prefix: str = ""
    authors: dict[str, Author] = field(default_factory=dict)
    categories: dict[str, Term] = field(default_factory=dict)
    tags: dict[str, Term] = field(default_factory=dict)
    entries: dict[int, Entry] = field(default_factory=dict)
    attachments: dict[int, Attachment] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    attached: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    paths: dict[str, tuple[str, str]] = field(default_factory=dict)
    reusable: dict[int, str] = field(default_factory=dict)
    # The posts' permalink structure as seen on a published post ("/%year%/%monthnum%/…").
    permalink_template: str = ""
    # How many public posts use each (taxonomy, slug): an archive with none has no topic page.
    term_use: Counter = field(default_factory=Counter)
    trash_dates: dict[int, str] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    comments: Counter = field(default_factory=Counter)
    other_types: Counter = field(default_factory=Counter)
    removed_bytes: int = 0
    _files_by_owner: dict[int, list[str]] | None = None

    # --- lookups used while importing --------------------------------------------------
    def category_chain(self, slug: str) -> list[str]:
        """Slugs from the top category down to `slug`."""
        chain, seen = [], set()
        while slug and slug in self.categories and slug not in seen:
            seen.add(slug)
            chain.append(slug)
            slug = self.categories[slug].parent_slug
        return list(reversed(chain))

    def attachment_for_file(self, relative: str) -> int | None:
        """The attachment a file below uploads belongs to, size variants included."""
        relative = relative.lstrip("/")
        if relative in self.files:
            return self.files[relative]
        stripped = _SIZE_SUFFIX.sub("", relative)
        return self.files.get(stripped)

    def attachment_for_url(self, url: str) -> int | None:
        relative = oldurls.uploads_relative(url, self.uploads_prefix)
        if relative is None:
            return None
        host = (urlsplit(url).hostname or "").lower() if "://" in url else ""
        if host and host not in self.hosts:
            return None
        return self.attachment_for_file(relative)

    def files_of(self, wp_id: int) -> list[str]:
        """The file names below uploads that belong to an attachment (all size variants)."""
        if self._files_by_owner is None:
            self._files_by_owner = defaultdict(list)
            for name, owner in self.files.items():
                self._files_by_owner[owner].append(name)
        return self._files_by_owner.get(wp_id, [])

    def lookup_path(self, raw: str) -> tuple[str, str] | None:
        return self.paths.get(oldurls.path_key(raw))


def build_index(path: Path | str, *, category_base="category", tag_base="tag") -> SiteIndex:
    """Read the whole export once. Raises wxr.WxrError if it is not a readable WXR file."""
    index = SiteIndex()
    reader = WxrReader(path)
    pending_items: list[tuple] = []
    for thing in reader:
        if not index.hosts:
            _channel_ready(index, reader.channel)
        if isinstance(thing, Author):
            if thing.login:
                index.authors.setdefault(thing.login, thing)
        elif isinstance(thing, Term):
            bucket = {"category": index.categories, "post_tag": index.tags}.get(thing.taxonomy)
            if bucket is not None and thing.slug:
                known = bucket.get(thing.slug)
                if known is None or (not known.description and thing.description):
                    bucket[thing.slug] = thing
        elif isinstance(thing, Item):
            pending_items.append(_index_item(index, thing))
    if not index.hosts:
        _channel_ready(index, reader.channel)
    index.channel = reader.channel
    index.removed_bytes = reader.removed_bytes
    for paths, key in pending_items:
        for raw in paths:
            index.paths.setdefault(oldurls.path_key(raw), key)
    _guessed_trash_paths(index, reader_template=index.permalink_template)
    _term_paths(index, category_base, tag_base)
    return index


def _channel_ready(index: SiteIndex, channel: Channel) -> None:
    site = channel.base_site_url or channel.link or channel.base_blog_url
    index.hosts = oldurls.site_hosts(site, channel.base_blog_url, channel.link)
    parts = urlsplit(channel.base_blog_url or site or "")
    index.blog_path = (parts.path or "").rstrip("/")
    host = (parts.hostname or "unbekannt").removeprefix("www.")
    index.site_key = f"{host}{index.blog_path}"[:200]


def _index_item(index: SiteIndex, item: Item):
    index.statuses[(item.post_type, item.status)] += 1
    for (status, kind), number in item.comments.items():
        index.comments[(status, kind)] += number
    if "?p=" in item.guid or "/wp-content/uploads/" in item.guid:
        # GUIDs keep the address the site had when the item was made (an old domain).
        index.hosts |= oldurls.site_hosts(item.guid)
    if item.post_type == "wp_block":
        index.reusable[item.wp_id] = item.content
        return [], None
    if item.post_type not in CONTENT_TYPES and item.post_type != "attachment":
        index.other_types[item.post_type] += 1
        return [], None
    if item.post_type == "post" and item.status == "publish" and not item.password:
        for domain, term_slug, _ in item.terms:
            index.term_use[(domain, term_slug)] += 1
    slug = item.post_name
    old_slugs = item.meta_all("_wp_old_slug")
    if item.status == "trash":
        # Trashed posts get "<slug>__trashed"; links elsewhere still use the former slug.
        slug = item.meta_get("_wp_desired_post_slug") or slug.removesuffix("__trashed")
        old_slugs = [*old_slugs, slug]
    if item.post_type == "post" and not index.permalink_template and item.status == "publish":
        index.permalink_template = oldurls.permalink_template(
            oldurls.raw_path(item.link, index.hosts) or "", item.post_name, item.post_date
        )
    if item.status == "trash":
        index.trash_dates[item.wp_id] = item.post_date
    paths = oldurls.item_paths(
        wp_id=item.wp_id,
        post_type=item.post_type,
        link=item.link,
        slug=item.post_name,
        post_date=item.post_date,
        old_slugs=old_slugs,
        old_dates=item.meta_all("_wp_old_date"),
        hosts=index.hosts,
        blog_path=index.blog_path,
    )
    if item.post_type == "attachment" and item.post_name:
        # WordPress also shows an attachment page under its bare slug (/<slug>/).
        paths.append(f"{index.blog_path}/{item.post_name}/")
    index.entries[item.wp_id] = Entry(
        wp_id=item.wp_id,
        post_type=item.post_type,
        status=item.status,
        slug=slug,
        title=item.title,
        parent=item.parent,
        guid=item.guid,
        paths=paths,
        password=bool(item.password),
    )
    if item.post_type == "attachment":
        _index_attachment(index, item)
    return paths, ("item", str(item.wp_id))


def _index_attachment(index: SiteIndex, item: Item) -> None:
    relative = item.meta_get("_wp_attached_file").lstrip("/")
    from_url = oldurls.uploads_relative(item.attachment_url, "")
    if item.attachment_url and from_url is not None and relative and from_url.endswith(relative):
        # The part of the URL before the relative path is the uploads folder's address.
        url_path = urlsplit(item.attachment_url).path
        prefix = url_path[: len(url_path) - len(relative)]
        if prefix and not index.uploads_prefix:
            index.uploads_prefix = prefix
    relative = relative or from_url or ""
    metadata = php_unserialize(item.meta_get("_wp_attachment_metadata")) or {}
    if not isinstance(metadata, dict):
        metadata = {}
    folder = str(PurePosixPath(relative).parent)
    folder = "" if folder == "." else folder + "/"
    original = str(metadata.get("original_image") or "")
    image_meta = metadata.get("image_meta") if isinstance(metadata.get("image_meta"), dict) else {}
    credit = str(image_meta.get("credit") or image_meta.get("copyright") or "").strip()
    index.attachments[item.wp_id] = Attachment(
        wp_id=item.wp_id,
        title=item.title,
        url=item.attachment_url,
        relative=relative,
        original=folder + original if original else "",
        alt=item.meta_get("_wp_attachment_image_alt").strip(),
        caption=item.excerpt.strip(),
        credit=credit,
        parent=item.parent,
    )
    names = [relative]
    if original:
        names.append(folder + original)
    sizes = metadata.get("sizes") if isinstance(metadata.get("sizes"), dict) else {}
    for size in sizes.values():
        if isinstance(size, dict) and size.get("file"):
            names.append(folder + str(size["file"]))
    for name in names:
        if name:
            index.files.setdefault(name, item.wp_id)
    if item.parent:
        index.attached[item.parent].append(item.wp_id)


def _term_paths(index: SiteIndex, category_base: str, tag_base: str) -> None:
    for slug, term in index.categories.items():
        for raw in oldurls.category_paths(
            chain=index.category_chain(slug),
            term_id=term.term_id,
            base=category_base,
            blog_path=index.blog_path,
        ):
            index.paths.setdefault(oldurls.path_key(raw), ("category", slug))
    for slug in index.tags:
        for raw in oldurls.tag_paths(slug=slug, base=tag_base, blog_path=index.blog_path):
            index.paths.setdefault(oldurls.path_key(raw), ("tag", slug))
    for login, author in index.authors.items():
        for raw in oldurls.author_paths(login=login, wp_id=author.wp_id, blog_path=index.blog_path):
            index.paths.setdefault(oldurls.path_key(raw), ("author", login))


def _guessed_trash_paths(index: SiteIndex, reader_template: str) -> None:
    """Trashed posts lose their address (`/?p=ID` in the export); links elsewhere still use
    the former one. Rebuilt from the permalink structure, it lets the report tell a link to
    a trashed post from a broken one."""
    if not reader_template:
        return
    for wp_id, post_date in index.trash_dates.items():
        entry = index.entries[wp_id]
        raw = oldurls.permalink_apply(reader_template, entry.slug, post_date)
        if raw:
            index.paths.setdefault(oldurls.path_key(raw), ("item", str(wp_id)))
