"""After every market sync (`markets.signals.markets_synced`) queue the alert check.

The markets app knows nothing of alerts: it sends the signal, this module listens."""

import logging

from kryptowelt.alerts.models import PriceAlert
from kryptowelt.alerts.tasks import alerts_check_task
from kryptowelt.markets.signals import markets_synced

logger = logging.getLogger("kryptowelt.alerts")


def _markets_synced(sender, synced_at=None, **kwargs):
    try:
        # No task per sync while nobody has an active alert (most syncs of most sites).
        if PriceAlert.objects.filter(state=PriceAlert.ACTIVE).exists():
            alerts_check_task.enqueue()
    except Exception:  # a queue problem must not break the sync
        logger.exception("Prüfung der Kursalarme konnte nicht eingereiht werden")


def connect():
    markets_synced.connect(_markets_synced, dispatch_uid="kw_alerts_markets_synced")
