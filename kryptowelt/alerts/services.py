"""Writes of the alerts app: requesting an alert (its mail goes out from the task queue),
confirming, re-arming and deleting it, and checking active alerts after a market sync.

Checking claims each alert (active → fired) with one conditional UPDATE before its mail is
sent, so the same sync processed twice, or by two workers, sends one mail."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kryptowelt.alerts import mails
from kryptowelt.alerts.models import PriceAlert
from kryptowelt.alerts.selectors import (
    active_alerts_with_quotes,
    alert_triggered,
    alert_twin,
    alerts_count,
)
from kryptowelt.core.optin import address_mail_allowed
from kryptowelt.markets.models import Coin

logger = logging.getLogger("kryptowelt.alerts")


def _mail_allowed(address: str) -> bool:
    """At most KRYPTOWELT_ALERTS_MAILS_PER_ADDRESS_HOUR request mails per address and hour,
    so the form cannot be used to flood someone's mailbox (core/optin.py)."""
    return address_mail_allowed(
        scope="alerts-request",
        address=address,
        limit=settings.KRYPTOWELT_ALERTS_MAILS_PER_ADDRESS_HOUR,
        window_seconds=3600,
    )


def _send(message) -> bool:
    try:
        message.send()
    except Exception:
        logger.exception("Mail des Kursalarms konnte nicht gesendet werden")
        return False
    return True


# The mails the form can cause (alert_request → the view queues request_mail_task).
CONFIRM_NEW, CONFIRM_AGAIN, EXISTING, LIMIT = "confirm", "confirm_again", "existing", "limit"


@dataclass(frozen=True)
class RequestMail:
    """The mail a request is answered with: which, and the alert it is about."""

    alert_id: int
    mail: str


def alert_request(*, address: str, coin: Coin, kind: str, threshold: Decimal) -> RequestMail | None:
    """What the form does with valid input: the writes, and which mail is due (the view
    queues it, so a slow or dead mail server never delays the answer). The reader always sees
    the same answer; what happens depends on the address, and only its owner learns that:

    - a new alert within the limit: stored as pending, confirmation mail;
    - the same alert already pending: the confirmation mail again;
    - the same alert already confirmed: a mail with its manage link;
    - the limit reached: a mail saying so, nothing stored;
    - more than KRYPTOWELT_ALERTS_MAILS_PER_ADDRESS_HOUR requests: nothing (None)."""
    if not _mail_allowed(address):
        logger.info("Kursalarm: zu viele Mails an eine Adresse in einer Stunde")
        return None
    twin = alert_twin(address=address, coin=coin, kind=kind, threshold=threshold)
    if twin is not None:
        return RequestMail(twin.pk, CONFIRM_AGAIN if twin.state == PriceAlert.PENDING else EXISTING)
    with transaction.atomic():
        # Lock-free but ordered: the count and the insert happen in one transaction.
        if alerts_count(address=address) >= settings.KRYPTOWELT_ALERTS_PER_ADDRESS:
            newest = PriceAlert.objects.filter(address=address).latest("created_at")
            return RequestMail(newest.pk, LIMIT)
        alert = PriceAlert.objects.create(
            address=address, coin=coin, kind=kind, threshold=threshold
        )
    return RequestMail(alert.pk, CONFIRM_NEW)


def alert_request_mail_send(*, alert_id: int, mail: str) -> str:
    """Send the mail `alert_request` decided on (in the task queue). "sent", "failed" or
    "gone" (the alert was deleted meanwhile). A new alert whose confirmation mail fails is
    deleted again: nothing half-done, and the reader may simply try again."""
    alert = PriceAlert.objects.select_related("coin").filter(pk=alert_id).first()
    if alert is None:
        return "gone"
    if mail in (CONFIRM_NEW, CONFIRM_AGAIN):
        if alert.state != PriceAlert.PENDING:
            return "gone"  # confirmed meanwhile: nothing to ask
        message = mails.confirmation_mail(alert)
    elif mail == EXISTING:
        message = mails.existing_mail(alert)
    elif mail == LIMIT:
        message = mails.limit_mail(address=alert.address, newest=alert)
    else:
        raise ValueError(f"unknown mail {mail!r}")
    if _send(message):
        return "sent"
    if mail == CONFIRM_NEW:
        PriceAlert.objects.filter(pk=alert.pk, state=PriceAlert.PENDING).delete()
    return "failed"


def alert_confirm(*, alert: PriceAlert, now: dt.datetime | None = None) -> bool:
    """Pending → active, recording the time of consent. False if it was confirmed before."""
    now = now or timezone.now()
    changed = PriceAlert.objects.filter(pk=alert.pk, state=PriceAlert.PENDING).update(
        state=PriceAlert.ACTIVE, confirmed_at=now
    )
    alert.refresh_from_db()
    return bool(changed)


def alert_rearm(*, alert: PriceAlert) -> bool:
    """Fired (paused) → active. False if it was not paused."""
    changed = PriceAlert.objects.filter(pk=alert.pk, state=PriceAlert.FIRED).update(
        state=PriceAlert.ACTIVE
    )
    alert.refresh_from_db()
    return bool(changed)


def alert_delete(*, alert: PriceAlert) -> None:
    PriceAlert.objects.filter(pk=alert.pk).delete()


def alerts_delete_all(*, address: str) -> int:
    deleted, _ = PriceAlert.objects.filter(address=address).delete()
    return deleted


@dataclass
class CheckReport:
    checked: int = 0
    fired: list[int] = field(default_factory=list)
    stale: int = 0
    failed: int = 0
    removed: int = 0


def alerts_check(*, now: dt.datetime | None = None) -> CheckReport:
    """Every active alert against the stored figures; fires those whose condition holds on
    fresh data. Each alert is claimed (active → fired) before its mail goes out; if the mail
    fails, the claim is undone so the next sync tries again."""
    now = now or timezone.now()
    report = CheckReport(removed=alerts_expired_remove(now=now))
    for alert, quote in active_alerts_with_quotes(now=now):
        report.checked += 1
        if not quote.fresh:
            report.stale += 1
            continue
        if not alert_triggered(alert, quote):
            continue
        claimed = PriceAlert.objects.filter(pk=alert.pk, state=PriceAlert.ACTIVE).update(
            state=PriceAlert.FIRED, last_fired_at=now
        )
        if not claimed:
            continue  # another run (the same sync twice, a second worker) took it
        if _send(mails.fired_mail(alert, quote)):
            report.fired.append(alert.pk)
        else:
            PriceAlert.objects.filter(
                pk=alert.pk, state=PriceAlert.FIRED, last_fired_at=now
            ).update(state=PriceAlert.ACTIVE, last_fired_at=alert.last_fired_at)
            report.failed += 1
    return report


def alerts_expired_remove(*, now: dt.datetime | None = None) -> int:
    """Unconfirmed alerts after their link expired, and alerts paused for
    KRYPTOWELT_ALERTS_PAUSED_KEEP_DAYS without being re-armed: deleted."""
    now = now or timezone.now()
    pending = PriceAlert.objects.filter(
        state=PriceAlert.PENDING,
        created_at__lt=now - dt.timedelta(hours=settings.KRYPTOWELT_ALERTS_CONFIRM_HOURS),
    )
    paused = PriceAlert.objects.filter(
        state=PriceAlert.FIRED,
        last_fired_at__lt=now - dt.timedelta(days=settings.KRYPTOWELT_ALERTS_PAUSED_KEEP_DAYS),
    )
    return pending.delete()[0] + paused.delete()[0]
