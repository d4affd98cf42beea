"""Publishing, unpublishing, moving or deleting an article enqueues a refresh of the lists it
affects (after the transaction commits, so the worker sees the change)."""

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from kryptowelt.news.models import ArticlePage
from kryptowelt.related.models import RelatedArticle
from kryptowelt.related.tasks import related_refresh_task

logger = logging.getLogger(__name__)


def related_refresh_enqueue(article_ids) -> None:
    article_ids = sorted({int(article_id) for article_id in article_ids})
    if not article_ids:
        return

    def enqueue():
        try:
            related_refresh_task.enqueue(article_ids)
        except Exception:  # a broken queue must never break publishing
            logger.exception("Verwandte Artikel: Aktualisierung nicht eingereiht")

    transaction.on_commit(enqueue, robust=True)


def _article_changed(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        related_refresh_enqueue([instance.pk])


def _article_moved(sender, instance, **kwargs):
    if isinstance(getattr(instance, "specific", instance), ArticlePage):
        related_refresh_enqueue([instance.pk])


def _article_deleting(sender, instance, **kwargs):
    """Before the rows go (cascade), remember whose lists showed the article."""
    if not isinstance(instance, ArticlePage):
        return
    instance._related_listing_ids = list(
        RelatedArticle.objects.filter(related_id=instance.pk).values_list("article_id", flat=True)
    )


def _article_deleted(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        related_refresh_enqueue([instance.pk, *getattr(instance, "_related_listing_ids", [])])


def _restriction_changed(sender, instance, **kwargs):
    """A view restriction hides or shows a whole subtree: refresh its articles."""
    try:
        page = instance.page
    except ObjectDoesNotExist:  # the page itself is being deleted
        return
    ids = list(ArticlePage.objects.filter(path__startswith=page.path).values_list("pk", flat=True))
    related_refresh_enqueue(ids)


def connect() -> None:
    page_published.connect(_article_changed, sender=ArticlePage, dispatch_uid="kw_related_pub")
    page_unpublished.connect(_article_changed, sender=ArticlePage, dispatch_uid="kw_related_unpub")
    post_page_move.connect(_article_moved, dispatch_uid="kw_related_move")
    pre_delete.connect(_article_deleting, sender=ArticlePage, dispatch_uid="kw_related_predel")
    post_delete.connect(_article_deleted, sender=ArticlePage, dispatch_uid="kw_related_del")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="kw_rel_vr")
    post_delete.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="kw_rel_vr_del"
    )
