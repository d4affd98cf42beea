"""On publish, queue the detection of coin mentions (the work happens in tasks.py); the
signal `markets_synced` that a finished price sync sends.

Enqueued inside the publishing transaction: the database task backend then commits the
task together with the page, and the immediate backend (tests) runs it right away."""

import logging

from django.dispatch import Signal
from wagtail.signals import page_published

from kryptowelt.markets.tasks import article_mentions_detect
from kryptowelt.news.models import ArticlePage

logger = logging.getLogger("kryptowelt.markets")

# Sent after a price sync stored new data (keyword `synced_at`: when it was fetched). Apps
# above markets listen (price alerts); markets itself never imports them.
markets_synced = Signal()


def _article_published(sender, instance, **kwargs):
    try:
        article_mentions_detect.enqueue(instance.pk)
    except Exception:  # a queue problem must not break publishing
        logger.exception("Erkennung der Coin-Erwähnungen konnte nicht eingereiht werden")


def connect():
    page_published.connect(_article_published, sender=ArticlePage, dispatch_uid="kw_markets_pub")
