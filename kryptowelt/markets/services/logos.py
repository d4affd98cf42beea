"""Coin logos as local files: downloaded from CoinGecko's image hosts and re-encoded, or
drawn as a badge; pages never link to CoinGecko's images.

Downloads never hold up a price sync: the sync only draws badges for coins without a logo
(local, fast) and queues `tasks.coin_logos_fetch`, which runs `coin_logos_refresh` in the
task worker. That job is bounded on its own: a time budget per run, short timeouts per
logo, a circuit breaker per host (after `HOST_FAILURE_LIMIT` failures in a row the host is
skipped for `HOST_COOL_DOWN`, remembered in `LogoHost`) and a back-off per coin (a logo
that failed is tried again only after `Coin.logo_retry_not_before`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from kryptowelt.markets import logos
from kryptowelt.markets.coingecko.client import CoinGeckoClient
from kryptowelt.markets.coingecko.errors import ImageHostUnavailable, ImageRejected
from kryptowelt.markets.models import Coin, LogoHost, SyncState
from kryptowelt.markets.services.state import sync_success_record

logger = logging.getLogger("kryptowelt.markets")

LOGO_GENERATED = "generated"

HOST_FAILURE_LIMIT = 3
HOST_COOL_DOWN = dt.timedelta(minutes=30)
COIN_BACKOFF_FIRST = dt.timedelta(hours=1)
COIN_BACKOFF_MAX = dt.timedelta(days=7)
RUN_BUDGET_SECONDS = 120.0


# --- storing --------------------------------------------------------------------------------


def coin_logo_store(*, coin: Coin, data: bytes, source_url: str) -> None:
    name = f"{coin.coingecko_id.replace('.', '-')}.png"  # upload_to adds coins/
    if coin.logo:
        coin.logo.delete(save=False)
    storage, path = coin.logo.storage, f"coins/{name}"
    if storage.exists(path):  # our own file name: replace, never pile up variants
        storage.delete(path)
    coin.logo.save(name, ContentFile(data), save=False)
    coin.logo_source_url = source_url
    Coin.objects.filter(pk=coin.pk).update(logo=coin.logo.name, logo_source_url=source_url)


def coin_logo_draw(*, coin: Coin) -> None:
    """Store a drawn badge with the coin's symbol as its logo."""
    coin_logo_store(
        coin=coin,
        data=logos.logo_generate(symbol=coin.symbol, seed=coin.coingecko_id),
        source_url=LOGO_GENERATED,
    )


def coin_logos_missing_draw(*, coin_ids: Iterable[str]) -> int:
    """Draw a badge for each of these coins that has no logo yet (no network)."""
    drawn = 0
    for coin in Coin.objects.filter(coingecko_id__in=list(coin_ids), logo=""):
        coin_logo_draw(coin=coin)
        drawn += 1
    return drawn


# --- what is due ----------------------------------------------------------------------------


def coin_logos_due(*, now: dt.datetime | None = None) -> QuerySet[Coin]:
    """Coins whose logo at CoinGecko is not the one stored and whose back-off has passed,
    best ranked first."""
    now = now or timezone.now()
    return (
        Coin.objects.exclude(image_url="")
        .exclude(logo_source_url=F("image_url"))
        .filter(Q(logo_retry_not_before__isnull=True) | Q(logo_retry_not_before__lte=now))
        .order_by(F("rank").asc(nulls_last=True), "coingecko_id")
    )


def coin_logos_pending(*, now: dt.datetime | None = None) -> bool:
    """Whether a logo run would have something to do: a due logo on a host that is not in
    its cool-down."""
    now = now or timezone.now()
    hosts = {
        (urlsplit(url).hostname or "").lower()
        for url in coin_logos_due(now=now).values_list("image_url", flat=True)
    }
    blocked = set(
        LogoHost.objects.filter(host__in=hosts, open_until__gt=now).values_list("host", flat=True)
    )
    return bool(hosts - blocked)


def coin_logo_backoff(*, failures: int) -> dt.timedelta:
    """How long a coin's logo rests after `failures` failed attempts in a row."""
    return min(COIN_BACKOFF_MAX, COIN_BACKOFF_FIRST * 2 ** max(0, failures - 1))


# --- circuit breaker per host ---------------------------------------------------------------


def logo_host_blocked_until(*, host: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """The end of the host's cool-down if its circuit breaker is open, else None."""
    now = now or timezone.now()
    until = LogoHost.objects.filter(host=host).values_list("open_until", flat=True).first()
    return until if until and until > now else None


def logo_host_failure_record(*, host: str, error: str, now: dt.datetime) -> bool:
    """Count a failure of `host`; opens the breaker at the limit (and again at once when a
    trial after the cool-down fails). Returns whether the breaker is now open."""
    state, _ = LogoHost.objects.get_or_create(host=host)
    state.failures += 1
    state.last_error = error[:2000]
    state.last_failure_at = now
    if state.failures >= HOST_FAILURE_LIMIT:
        state.open_until = now + HOST_COOL_DOWN
        logger.warning(
            "Logo-Server %s nach %d Fehlern in Folge bis %s UTC gesperrt: %s",
            host,
            state.failures,
            f"{state.open_until:%H:%M}",
            error,
        )
    state.save()
    return state.open_until is not None and state.open_until > now


def logo_host_success_record(*, host: str, now: dt.datetime) -> None:
    """A logo came through: the host's breaker closes."""
    state, _ = LogoHost.objects.get_or_create(host=host)
    if state.open_until is not None or state.failures >= HOST_FAILURE_LIMIT:
        logger.info("Logo-Server %s wieder erreichbar, Sperre aufgehoben", host)
    state.failures = 0
    state.open_until = None
    state.last_success_at = now
    state.save()


def _coin_failure_record(*, coin: Coin, reason: str, now: dt.datetime) -> None:
    failures = coin.logo_failures + 1
    retry = now + coin_logo_backoff(failures=failures)
    Coin.objects.filter(pk=coin.pk).update(logo_failures=failures, logo_retry_not_before=retry)
    logger.info(
        "Logo von %s nicht geladen (%s); nächster Versuch frühestens %s UTC",
        coin.coingecko_id,
        reason,
        f"{retry:%d.%m. %H:%M}",
    )


# --- the job --------------------------------------------------------------------------------


@dataclass
class LogoReport:
    loaded: int = 0
    failed: int = 0
    skipped_hosts: int = 0  # coins not tried because their host is in its cool-down
    out_of_time: int = 0  # coins left for the next run


def coin_logos_refresh(
    *,
    client: CoinGeckoClient | None = None,
    budget_seconds: float = RUN_BUDGET_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> LogoReport:
    """Download the logos that are due (see coin_logos_due), within `budget_seconds`.

    A logo that cannot be used keeps (or gets) a drawn badge and rests for its back-off; a
    host that fails `HOST_FAILURE_LIMIT` times in a row is skipped for `HOST_COOL_DOWN`."""
    report = LogoReport()
    started = clock()
    own_client = client is None
    client = client or CoinGeckoClient.from_settings()
    blocked: set[str] = set()
    try:
        for coin in coin_logos_due():
            host = (urlsplit(coin.image_url).hostname or "").lower()
            if host in blocked or logo_host_blocked_until(host=host):
                blocked.add(host)
                report.skipped_hosts += 1
                continue
            if clock() - started >= budget_seconds:
                report.out_of_time += 1
                continue
            now = timezone.now()
            if not client.image_url_allowed(coin.image_url):
                _coin_failure_record(coin=coin, reason="nicht von erlaubtem Host", now=now)
                report.failed += 1
                if not coin.logo:
                    coin_logo_draw(coin=coin)
                continue
            try:
                data = logos.logo_normalise(client.image_fetch(url=coin.image_url))
            except ImageHostUnavailable as exc:
                if logo_host_failure_record(host=host, error=str(exc), now=now):
                    blocked.add(host)
                _coin_failure_record(coin=coin, reason=str(exc), now=now)
                report.failed += 1
            except (ImageRejected, logos.LogoError) as exc:
                logo_host_success_record(host=host, now=now)  # the host itself answered
                _coin_failure_record(coin=coin, reason=str(exc), now=now)
                report.failed += 1
            else:
                logo_host_success_record(host=host, now=now)
                coin_logo_store(coin=coin, data=data, source_url=coin.image_url)
                Coin.objects.filter(pk=coin.pk).update(logo_failures=0, logo_retry_not_before=None)
                report.loaded += 1
                continue
            if not coin.logo:
                coin_logo_draw(coin=coin)
    finally:
        if own_client:
            client.close()
    sync_success_record(
        kind=SyncState.LOGOS,
        when=timezone.now(),
        note=(
            f"{report.failed} Logos nicht geladen, {report.skipped_hosts} wegen gesperrter "
            f"Server übersprungen"
            if report.failed or report.skipped_hosts
            else ""
        ),
    )
    logger.info(
        "Logos: %d geladen, %d fehlgeschlagen, %d übersprungen (Server gesperrt), %d für den "
        "nächsten Lauf",
        report.loaded,
        report.failed,
        report.skipped_hosts,
        report.out_of_time,
    )
    return report
