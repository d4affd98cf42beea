"""Writes of the WordPress import: authors, topics, images and documents, pages, redirects
and the mapping that makes a second run update instead of duplicate.

Each function is called inside the importer's transaction for one item, so an item is
written completely or not at all. Nothing is written when what the import would write
equals what it wrote last time (`content_hash`), and a page an editor changed after the
import (a newer revision than the importer's) is left alone."""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from kryptowelt.core.models import StandardPage
from kryptowelt.core.services import page_publish_new
from kryptowelt.core.text import german_slugify
from kryptowelt.news.models import ArticleAuthor, ArticlePage, Author, Topic
from kryptowelt.news.services import article_create, author_get_or_create
from kryptowelt.wordpress.models import WordPressObject

MAX_SLUG = 120


def content_hash(value) -> str:
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


# --- mapping ---------------------------------------------------------------------------------
def mapping_find(*, site: str, kind: str, key: str, guid: str = "") -> WordPressObject | None:
    found = WordPressObject.objects.filter(site=site, kind=kind, wp_key=key).first()
    if found is None and guid:
        # The same item exported from the site under another address (the GUID never changes).
        found = WordPressObject.objects.filter(kind=kind, guid=guid).first()
    return found


def mapping_save(existing, *, site, kind, key, guid="", title="", **values) -> WordPressObject:
    mapping = existing or WordPressObject(site=site, kind=kind, wp_key=key)
    mapping.site, mapping.guid, mapping.title = site, guid[:500], title[:255]
    for name, value in values.items():
        setattr(mapping, name, value)
    mapping.save()
    return mapping


# --- authors and topics ----------------------------------------------------------------------
def author_import(*, name: str, existing: WordPressObject | None) -> tuple[str, Author]:
    if existing is not None and existing.author is not None:
        if existing.author.name == name or existing.content_hash == content_hash(name):
            return "unchanged", existing.author
        existing.author.name = name
        existing.author.save(update_fields=["name"])
        return "updated", existing.author
    return "created", author_get_or_create(name=name, slug=german_slugify(name)[:120])


def topic_ensure(*, name: str) -> tuple[str, Topic]:
    name = " ".join(name.split())[:100]
    topic = Topic.objects.filter(name__iexact=name).first()
    if topic is not None:
        return "unchanged", topic
    return "created", Topic.objects.create(name=name)


# --- media -----------------------------------------------------------------------------------
@dataclass
class MediaResult:
    outcome: str
    image: object | None = None
    document: object | None = None


def image_store(*, data: bytes, filename: str, title: str, alt: str, credit: str):
    """A new image, or the existing one with the same bytes (uploaded twice in WordPress)."""
    Image = get_image_model()
    digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's file_hash is SHA-1
    twin = Image.objects.filter(file_hash=digest).first()
    if twin is not None:
        return twin
    image = Image(title=title[:255], description=alt[:255], credit=credit[:255])
    image.file = ImageFile(io.BytesIO(data), name=filename)
    image._set_image_file_metadata()
    try:
        image.save()
    except Exception:
        image.file.delete(save=False)
        raise
    return image


def document_store(*, data: bytes, filename: str, title: str):
    Document = get_document_model()
    document = Document(title=title[:255])
    document.file = ContentFile(data, name=filename)
    document._set_document_file_metadata()
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def image_metadata_update(image, *, title: str, alt: str, credit: str) -> bool:
    changed = (image.title, image.description, image.credit) != (
        title[:255],
        alt[:255],
        credit[:255],
    )
    if changed:
        image.title, image.description, image.credit = title[:255], alt[:255], credit[:255]
        image.save(update_fields=["title", "description", "credit"])
    return changed


# --- pages -----------------------------------------------------------------------------------
@dataclass
class PagePlan:
    """Everything the import writes for one post or page."""

    kind: str  # "post" → ArticlePage, "page" → StandardPage
    title: str
    slug: str
    parent: Page
    body: list[dict]
    mode: str  # "live", "draft", "scheduled"
    published_at: object = None
    modified_at: object = None
    updated_at: object = None
    teaser: str = ""
    authors: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    hero_image_id: int | None = None
    hero_caption: str = ""
    social_image_id: int | None = None
    seo_title: str = ""
    search_description: str = ""
    password: str = ""

    def fingerprint(self) -> str:
        return content_hash(
            {
                "kind": self.kind,
                "title": self.title,
                "parent": self.parent.pk,
                "body": self.body,
                "mode": self.mode,
                "published_at": self.published_at,
                "modified_at": self.modified_at,
                "updated_at": self.updated_at,
                "teaser": self.teaser,
                "authors": [author.pk for author in self.authors],
                "topics": sorted(topic.pk for topic in self.topics),
                "hero": [self.hero_image_id, self.hero_caption],
                "social": self.social_image_id,
                "seo": [self.seo_title, self.search_description],
                "password": self.password,
            }
        )


def free_slug(*, parent: Page, slug: str, own_pk: int | None = None) -> str:
    """`slug`, or `slug-2`, `slug-3` … when a sibling uses it (one query per try)."""
    base = slug[:MAX_SLUG].strip("-") or "seite"
    candidate, counter = base, 2
    siblings = parent.get_children()
    while siblings.filter(slug=candidate).exclude(pk=own_pk).exists():
        candidate = f"{base[: MAX_SLUG - 6]}-{counter}"
        counter += 1
    return candidate


def page_create(plan: PagePlan, *, user=None) -> Page:
    slug = free_slug(parent=plan.parent, slug=plan.slug)
    if plan.kind == "post":
        page = article_create(
            section=plan.parent,
            title=plan.title,
            teaser=plan.teaser,
            body=plan.body,
            authors=plan.authors,
            tags=plan.topics,
            slug=slug,
            published_at=plan.published_at if plan.mode != "draft" else None,
            updated_at=plan.updated_at,
            hero_image=_image(plan.hero_image_id),
            hero_caption=plan.hero_caption,
            seo_title=plan.seo_title,
            search_description=plan.search_description,
            user=user,
            live=plan.mode != "draft",
        )
        if plan.social_image_id:
            ArticlePage.objects.filter(pk=page.pk).update(social_image_id=plan.social_image_id)
    else:
        page = StandardPage(
            title=plan.title,
            slug=slug,
            body=plan.body,
            seo_title=plan.seo_title,
            search_description=plan.search_description,
            social_image_id=plan.social_image_id,
            owner=user,
        )
        if plan.mode == "scheduled":
            page.go_live_at, page.live = plan.published_at, False
        elif plan.mode == "live":
            page.first_published_at = plan.published_at
        else:
            page.live = False
        plan.parent.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True, clean=False)
        if plan.mode == "scheduled":
            revision.publish(user=user)
        elif plan.mode == "live":
            page_publish_new(page=page, revision=revision, user=user)
    _dates_set(page, plan)
    _password_set(page, plan.password)
    return page


def page_update(page: Page, plan: PagePlan, *, user=None) -> Page:
    """Write `plan` as a new revision of `page` (published if the item is live)."""
    page = page.specific
    if page.get_parent().pk != plan.parent.pk:
        page.move(plan.parent, pos="last-child", user=user)
        page = Page.objects.get(pk=page.pk).specific
        page.slug = free_slug(parent=plan.parent, slug=page.slug, own_pk=page.pk)
    page.title = plan.title
    page.body = plan.body
    page.seo_title, page.search_description = plan.seo_title, plan.search_description
    page.social_image_id = plan.social_image_id
    if isinstance(page, ArticlePage):
        page.teaser = plan.teaser
        page.hero_image_id, page.hero_caption = plan.hero_image_id, plan.hero_caption
        page.updated_at = plan.updated_at
        page.tags.set(plan.topics)
        page.article_authors.clear()
        for order, author in enumerate(plan.authors):
            page.article_authors.add(ArticleAuthor(author=author, sort_order=order))
    if plan.mode == "scheduled":
        page.go_live_at = plan.published_at
    elif plan.mode == "live" and page.first_published_at is None:
        page.first_published_at = plan.published_at
    revision = page.save_revision(user=user, log_action=True)
    if plan.mode == "draft":
        if page.live:
            page.unpublish(user=user)
    else:
        revision.publish(user=user)
    _dates_set(page, plan)
    _password_set(page, plan.password)
    return page


def _image(pk):
    return get_image_model().objects.filter(pk=pk).first() if pk else None


def _dates_set(page: Page, plan: PagePlan) -> None:
    """WordPress's dates instead of the moment of the import."""
    if plan.mode != "live" or plan.published_at is None:
        return
    values = {"first_published_at": plan.published_at}
    values["last_published_at"] = max(plan.modified_at or plan.published_at, plan.published_at)
    Page.objects.filter(pk=page.pk).update(**values)
    page.first_published_at = values["first_published_at"]
    page.last_published_at = values["last_published_at"]


def _password_set(page: Page, password: str) -> None:
    restriction = PageViewRestriction.objects.filter(
        page=page, restriction_type=PageViewRestriction.PASSWORD
    ).first()
    if password and restriction is None:
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password=password
        )
    elif password and restriction.password != password:
        restriction.password = password
        restriction.save(update_fields=["password"])
    elif not password and restriction is not None:
        restriction.delete()


def page_edited_since(page: Page, mapping: WordPressObject) -> bool:
    """Whether someone saved a revision after the import's own."""
    return bool(mapping.revision_id and page.latest_revision_id != mapping.revision_id)


# --- redirects -------------------------------------------------------------------------------
def redirects_ensure(*, paths: list[str], page=None, link: str = "", owned: list[str] = ()):
    """Permanent redirects from the old paths to `page` or `link`. Returns a Counter of
    outcomes; a redirect someone else made for the same path is left alone (conflict)."""
    outcomes = Counter()
    target_path = Redirect.normalise_path(page.url) if page is not None and page.url else None
    owned = {Redirect.normalise_path(path) for path in owned}
    normalised = {}
    for raw in paths:
        old_path = Redirect.normalise_path(raw)
        if len(old_path) > 255:
            outcomes["too_long"] += 1
        elif old_path != target_path and old_path != "/":
            normalised.setdefault(old_path, raw)
    existing = {
        redirect.old_path: redirect
        for redirect in Redirect.objects.filter(Q(site=None), old_path__in=list(normalised))
    }
    for old_path in normalised:
        redirect = existing.get(old_path)
        if redirect is None:
            Redirect.objects.create(
                old_path=old_path,
                site=None,
                is_permanent=True,
                redirect_page=page,
                redirect_link="" if page is not None else link,
            )
            outcomes["created"] += 1
        elif _same_target(redirect, page, link):
            outcomes["unchanged"] += 1
        elif old_path in owned:
            redirect.redirect_page = page
            redirect.redirect_link = "" if page is not None else link
            redirect.is_permanent = True
            redirect.save()
            outcomes["updated"] += 1
        else:
            outcomes["conflict"] += 1
    return outcomes


def _same_target(redirect, page, link) -> bool:
    if page is not None:
        return redirect.redirect_page_id == page.pk and redirect.is_permanent
    return (
        redirect.redirect_page_id is None
        and redirect.redirect_link == link
        and redirect.is_permanent
    )
