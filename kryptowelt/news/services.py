"""Writes for articles and authors, shared by the importer, the demo and tests."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from kryptowelt.core.services import page_publish_new
from kryptowelt.core.text import german_slugify
from kryptowelt.news.models import ArticleAuthor, ArticlePage, Author


def author_get_or_create(*, name: str, role: str = "", bio: str = "", slug: str = "") -> Author:
    slug = slug or german_slugify(name)[:120] or "autor"
    author = Author.objects.filter(slug=slug).first()
    if author is None:
        try:
            with transaction.atomic():
                author = Author.objects.create(name=name, slug=slug, role=role, bio=bio)
        except IntegrityError:
            # Created meanwhile by another process (two imports running at once).
            author = Author.objects.get(slug=slug)
    return author


def unique_child_slug(*, parent, slug: str) -> str:
    """`slug`, or `slug-2`, `slug-3` … if a sibling already uses it."""
    candidate, counter = slug, 2
    siblings = set(parent.get_children().values_list("slug", flat=True))
    while candidate in siblings:
        candidate = f"{slug}-{counter}"
        counter += 1
    return candidate


@transaction.atomic
def article_create(
    *,
    section,
    title: str,
    teaser: str,
    body: list[dict],
    authors: list[Author],
    tags: list[str] = (),
    slug: str = "",
    published_at: dt.datetime | None = None,
    updated_at: dt.datetime | None = None,
    hero_image=None,
    hero_caption: str = "",
    seo_title: str = "",
    search_description: str = "",
    user=None,
    live: bool = True,
) -> ArticlePage:
    """Create and publish an article under `section` (`live=False`: save it as a draft).

    `published_at` in the past back-dates the article; in the future it is scheduled
    (Wagtail publishes it at that time). Everything happens in one transaction."""
    now = timezone.now()
    article = ArticlePage(
        title=title,
        slug=slug or german_slugify(title)[:80] or "artikel",
        teaser=teaser,
        body=body,
        hero_image=hero_image,
        hero_caption=hero_caption,
        seo_title=seo_title,
        search_description=search_description,
        updated_at=updated_at,
        owner=user,
    )
    scheduled = published_at is not None and published_at > now
    if not live:
        article.live = False
    elif scheduled:
        article.go_live_at = published_at
        article.live = False
    elif published_at is not None:
        article.first_published_at = published_at
    # Authors and tags are set on the unsaved page (modelcluster keeps them) and written by
    # add_child's save, which also validates the page; the revision need not validate again.
    article.article_authors = [
        ArticleAuthor(author=author, sort_order=order) for order, author in enumerate(authors)
    ]
    if tags:
        article.tags.add(*tags)
    section.add_child(instance=article)
    revision = article.save_revision(user=user, log_action=True, clean=False)
    if not live:
        return article
    if scheduled:
        revision.publish(user=user)  # Wagtail's action schedules it
        return article
    page_publish_new(page=article, revision=revision, user=user)
    if published_at is not None:
        ArticlePage.objects.filter(pk=article.pk).update(last_published_at=published_at)
        article.last_published_at = published_at
    return article
