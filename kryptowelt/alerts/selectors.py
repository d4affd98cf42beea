"""Reads of the alerts app: an alert from a signed link, what an address has, and whether the
coin's stored price is fresh enough to judge an alert by."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from kryptowelt.alerts import tokens
from kryptowelt.alerts.models import PriceAlert
from kryptowelt.markets.models import Coin, MarketSnapshot
from kryptowelt.markets.selectors.quotes import DataStatus, snapshot_status


def alert_from_token(token: str, *, purpose: str, max_age: float | None = None) -> PriceAlert:
    """The alert a signed link names; BadToken when the link is bad, expired or its alert gone."""
    alert_id, created = tokens.alert_token_read(token, purpose=purpose, max_age=max_age)
    alert = PriceAlert.objects.select_related("coin").filter(pk=alert_id).first()
    if alert is None or int(alert.created_at.timestamp()) != created:
        raise tokens.BadToken()
    return alert


def alerts_of_address(*, address: str) -> list[PriceAlert]:
    return list(
        PriceAlert.objects.filter(address=address).select_related("coin").order_by("created_at")
    )


def alerts_count(*, address: str) -> int:
    return PriceAlert.objects.filter(address=address).count()


def alert_twin(*, address: str, coin: Coin, kind: str, threshold: Decimal) -> PriceAlert | None:
    """An alert of this address that already watches exactly this."""
    return PriceAlert.objects.filter(
        address=address, coin=coin, kind=kind, threshold=threshold
    ).first()


def max_data_age() -> dt.timedelta:
    return dt.timedelta(minutes=settings.KRYPTOWELT_ALERTS_MAX_DATA_AGE_MINUTES)


@dataclass(frozen=True)
class Quote:
    """A coin's stored figures as an alert sees them."""

    price: Decimal | None
    change_24h: Decimal | None
    status: DataStatus
    fresh: bool  # young enough to fire an alert on (KRYPTOWELT_ALERTS_MAX_DATA_AGE_MINUTES)


def quote_of(snapshot: MarketSnapshot | None, *, now: dt.datetime | None = None) -> Quote:
    now = now or timezone.now()
    status = snapshot_status(snapshot=snapshot, now=now)
    fresh = (
        snapshot is not None
        and status.has_data
        and not status.is_sample
        and now - status.as_of < max_data_age()
    )
    return Quote(
        price=snapshot.price if snapshot else None,
        change_24h=snapshot.change_24h if snapshot else None,
        status=status,
        fresh=fresh,
    )


def coin_quote(*, coin: Coin, now: dt.datetime | None = None) -> Quote:
    return quote_of(MarketSnapshot.objects.filter(coin=coin).first(), now=now)


def coin_for_alert(*, coin_id: str) -> Coin | None:
    """A coin readers can set an alert on: one with stored market data."""
    return Coin.objects.filter(coingecko_id=coin_id, snapshot__isnull=False).first()


def active_alerts_with_quotes(*, now: dt.datetime | None = None):
    """(alert, quote) for every active alert, one query for the alerts and one for the quotes."""
    alerts = list(PriceAlert.objects.filter(state=PriceAlert.ACTIVE).select_related("coin"))
    snapshots = {
        s.coin_id: s for s in MarketSnapshot.objects.filter(coin_id__in={a.coin_id for a in alerts})
    }
    return [(alert, quote_of(snapshots.get(alert.coin_id), now=now)) for alert in alerts]


def alert_triggered(alert: PriceAlert, quote: Quote) -> bool:
    """Whether the stored figures meet the alert's condition (stale data never does)."""
    if not quote.fresh:
        return False
    if alert.kind == PriceAlert.CHANGE_24H:
        return quote.change_24h is not None and abs(quote.change_24h) >= alert.threshold
    if quote.price is None:
        return False
    if alert.kind == PriceAlert.ABOVE:
        return quote.price >= alert.threshold
    return quote.price <= alert.threshold
