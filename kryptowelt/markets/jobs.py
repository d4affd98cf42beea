"""Periodic jobs for `kryptowelt scheduler` (see settings.KRYPTOWELT_PERIODIC_JOBS).

The scheduler calls them on start and then every interval; each one decides itself whether
work is due, so several schedulers or a restart never hammer CoinGecko."""

import datetime as dt
import logging

from django.utils import timezone

from kryptowelt.markets.models import SyncState
from kryptowelt.markets.services.history import coin_history_sync, price_history_compact
from kryptowelt.markets.services.sync import coin_markets_sync, trending_sync

logger = logging.getLogger("kryptowelt.markets")

PRICES_EVERY = dt.timedelta(minutes=5)
HISTORY_EVERY = dt.timedelta(hours=24)


def _due(kind: str, every: dt.timedelta, *, on_success_only: bool) -> bool:
    state = SyncState.objects.filter(kind=kind).first()
    if state is None:
        return True
    now = timezone.now()
    if state.retry_not_before and state.retry_not_before > now:
        return False
    last = state.last_success_at if on_success_only else state.last_attempt_at
    # A little slack so a 300-second scheduler tick does not skip a 5-minute slot.
    return last is None or now - last >= every - dt.timedelta(seconds=20)


def refresh_prices():
    """Every 5 minutes: prices of the top 250 coins and CoinGecko's trending list (logos
    are queued for the task worker, never fetched here)."""
    if not _due(SyncState.MARKETS, PRICES_EVERY, on_success_only=False):
        return
    report = coin_markets_sync()
    if report.ok:
        trending_sync()
    logger.info(
        "Kursabgleich: %s",
        f"{report.stored} Coins gespeichert" if report.ok else f"fehlgeschlagen ({report.error})",
    )


def refresh_history():
    """Once a day: daily history of the top coins, then thin out old 5-minute points."""
    if not _due(SyncState.HISTORY, HISTORY_EVERY, on_success_only=True):
        return
    state = SyncState.objects.filter(kind=SyncState.HISTORY).first()
    if (
        state
        and state.last_attempt_at
        and timezone.now() - state.last_attempt_at < dt.timedelta(hours=1)
    ):
        return  # failed less than an hour ago: wait before trying again
    report = coin_history_sync()
    price_history_compact()
    logger.info(
        "Verlaufsabgleich: %s",
        f"{report.stored} Coins" if report.ok else f"fehlgeschlagen ({report.error})",
    )
