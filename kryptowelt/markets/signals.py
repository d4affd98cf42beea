"""On publish, queue the detection of coin mentions (the work happens in tasks.py)."""

import logging

from django.db import transaction
from wagtail.signals import page_published

logger = logging.getLogger("kryptowelt.markets")


def _article_published(sender, instance, **kwargs):
    from kryptowelt.markets.tasks import article_mentions_detect

    page_id = instance.pk

    def enqueue():
        try:
            article_mentions_detect.enqueue(page_id)
        except Exception:  # a queue problem must not break publishing
            logger.exception("Erkennung der Coin-Erwähnungen konnte nicht eingereiht werden")

    transaction.on_commit(enqueue)


def connect():
    from kryptowelt.news.models import ArticlePage

    page_published.connect(_article_published, sender=ArticlePage, dispatch_uid="kw_markets_pub")
