"""How current market data is, for readiness and metrics (kryptowelt/ops reads these through
`settings.KRYPTOWELT_READINESS_TIMES`, so it never imports this app)."""

from __future__ import annotations

import datetime as dt

from kryptowelt.markets.models import MarketSnapshot, SyncState


def market_data_updated_at() -> dt.datetime | None:
    """When the newest price snapshot was fetched (a sync, an import or the demo samples)."""
    return (
        MarketSnapshot.objects.order_by("-fetched_at").values_list("fetched_at", flat=True).first()
    )


def market_sync_succeeded_at() -> dt.datetime | None:
    """When the last price sync with CoinGecko succeeded (None: never)."""
    return (
        SyncState.objects.filter(kind=SyncState.MARKETS)
        .values_list("last_success_at", flat=True)
        .first()
    )
