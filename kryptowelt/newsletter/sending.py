"""Sending an edition: freeze what it contains, one Delivery per recipient, then mail them
in batches at a limited rate – resumable, and never twice to the same address.

A delivery is claimed (PENDING → SENDING) right before its mail is handed to the mail
server and marked SENT or FAILED right after. A run that dies leaves at most the one
delivery it was sending in SENDING; the next run marks it FAILED instead of sending it
again (at most once: a mail in doubt is not repeated). Only one run works on a send at a
time: it holds a lease (`EditionSend.lease_until`), renewed every batch; a run that died
lets its lease run out and the next one resumes."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.search import index

from kryptowelt.caching.purge import page_purge
from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.core.formatting import format_date
from kryptowelt.newsletter.mails import EditionMail, edition_mail
from kryptowelt.newsletter.models import Delivery, EditionSend, NewsletterEdition
from kryptowelt.newsletter.selectors import (
    articles_by_ids,
    edition_article_ids,
    edition_market_moves,
    edition_recipients,
)
from kryptowelt.newsletter.tokens import address_key

logger = logging.getLogger("kryptowelt.newsletter")

LEASE_SECONDS = 120
INTERRUPTED = "Versand unterbrochen – nicht wiederholt, damit niemand die Ausgabe doppelt erhält."


class SendRefused(Exception):
    """Why an edition cannot go out (German)."""


def edition_subject(edition: NewsletterEdition) -> str:
    return edition.seo_title or edition.title


def edition_mail_for(*, edition: NewsletterEdition, send: EditionSend | None = None) -> EditionMail:
    """The edition as a mail: frozen contents for a send, current ones for a preview."""
    if send is not None:
        ids, moves, subject = send.article_ids, send.market_moves, send.subject
    else:
        ids = edition_article_ids(edition=edition)
        moves = edition_market_moves() if edition.digest else []
        subject = edition_subject(edition)
    return edition_mail(
        edition=edition, articles=articles_by_ids(ids), market_moves=moves, subject=subject
    )


def edition_send_start(*, edition: NewsletterEdition, requested_by: str = "") -> EditionSend:
    """Freeze the edition's contents and create its send (once). Raises SendRefused."""
    if not edition.live:
        raise SendRefused("Bitte veröffentlichen Sie die Ausgabe zuerst.")
    if edition.newsletter_list_id is None:
        raise SendRefused("Bitte wählen Sie die Liste, an die die Ausgabe geht.")
    existing = EditionSend.objects.filter(edition=edition).first()
    if existing is not None:
        return existing
    ids = edition_article_ids(edition=edition)
    if not ids and not edition.intro:
        raise SendRefused(
            "Die Ausgabe ist leer: Bitte wählen Sie Artikel oder schreiben Sie eine Einleitung."
        )
    try:
        with transaction.atomic():
            return EditionSend.objects.create(
                edition=edition,
                subject=edition_subject(edition),
                article_ids=ids,
                market_moves=edition_market_moves() if edition.digest else [],
                requested_by=requested_by[:150],
            )
    except IntegrityError:  # started by someone else a moment ago
        return EditionSend.objects.get(edition=edition)


def _lease_take(send_id: int) -> bool:
    now = timezone.now()
    return bool(
        EditionSend.objects.filter(pk=send_id, finished_at__isnull=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + dt.timedelta(seconds=LEASE_SECONDS))
    )


def _lease_renew(send_id: int) -> None:
    EditionSend.objects.filter(pk=send_id).update(
        lease_until=timezone.now() + dt.timedelta(seconds=LEASE_SECONDS)
    )


def deliveries_prepare(*, send: EditionSend) -> int:
    """One PENDING delivery per confirmed recipient not yet in the send."""
    rows = [
        Delivery(send=send, subscriber_id=pk, address_key=address_key(address))
        for pk, address in edition_recipients(edition=send.edition).values_list("pk", "address")
    ]
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


class Pacer:
    """At most `rate` mails per second (0: no limit)."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


def _mark(delivery_id: int, status: str, error: str = "") -> None:
    Delivery.objects.filter(pk=delivery_id).update(
        status=status, error=error[:255], updated_at=timezone.now()
    )


def edition_send_run(
    *, send_id: int, rate: float | None = None, batch_size: int | None = None
) -> dict:
    """Send what is still pending of one send. Returns the counts of this run."""
    if not _lease_take(send_id):
        return {"busy_or_done": True}
    send = EditionSend.objects.select_related("edition").get(pk=send_id)
    counts = {"sent": 0, "failed": 0, "skipped": 0, "interrupted": 0}
    try:
        counts["interrupted"] = send.deliveries.filter(status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED, error=INTERRUPTED
        )
        deliveries_prepare(send=send)
        mail = edition_mail_for(edition=send.edition, send=send)
        pacer = Pacer(settings.KRYPTOWELT_NEWSLETTER_SEND_RATE if rate is None else rate)
        size = batch_size or settings.KRYPTOWELT_NEWSLETTER_BATCH_SIZE
        while True:
            batch = list(
                send.deliveries.filter(status=Delivery.Status.PENDING)
                .select_related("subscriber")
                .order_by("pk")[:size]
            )
            if not batch:
                break
            _lease_renew(send_id)
            _send_batch(batch, mail=mail, pacer=pacer, counts=counts)
        EditionSend.objects.filter(pk=send_id).update(finished_at=timezone.now(), lease_until=None)
    except Exception:
        EditionSend.objects.filter(pk=send_id).update(lease_until=None)
        raise
    logger.info("Newsletter „%s“ versandt: %s", send.subject, counts)
    # The archive, its feed, site search and the edition's own page now show it.
    index.insert_or_update_object(send.edition)
    changed(Scope.CONTENT)
    page_purge(page=send.edition)
    return counts


def _send_batch(batch: list[Delivery], *, mail: EditionMail, pacer: Pacer, counts: dict) -> None:
    connection = get_connection(fail_silently=False)
    with connection:
        for delivery in batch:
            subscriber = delivery.subscriber
            if subscriber is None or subscriber.confirmed_at is None:
                _mark(delivery.pk, Delivery.Status.SKIPPED)
                counts["skipped"] += 1
                continue
            claimed = Delivery.objects.filter(
                pk=delivery.pk, status=Delivery.Status.PENDING
            ).update(status=Delivery.Status.SENDING)
            if not claimed:
                continue
            pacer.wait()
            try:
                accepted = mail.message_for(subscriber.address, connection=connection).send()
            except (ConnectionError, TimeoutError) as error:
                # The mail server went away: this one failed, the rest waits for a new run.
                _mark(delivery.pk, Delivery.Status.FAILED, str(error))
                raise
            except Exception as error:  # noqa: BLE001 - one refused address must not stop the send
                _mark(delivery.pk, Delivery.Status.FAILED, f"{type(error).__name__}: {error}")
                counts["failed"] += 1
                continue
            if accepted:
                _mark(delivery.pk, Delivery.Status.SENT)
                counts["sent"] += 1
            else:
                _mark(delivery.pk, Delivery.Status.FAILED, "vom Mailserver nicht angenommen")
                counts["failed"] += 1


def edition_test_send(*, edition: NewsletterEdition, address: str) -> None:
    """ "Testversand an mich": the edition as it would go out now, to the editor only."""
    mail = edition_mail_for(edition=edition)
    test = EditionMail(subject=f"[Test] {mail.subject}", text=mail.text, html=mail.html)
    test.message_for(address).send()


def editions_due(*, now: dt.datetime | None = None):
    """Live editions whose send time has come and that have not been started."""
    return NewsletterEdition.objects.live().filter(
        send_at__lte=now or timezone.now(), send__isnull=True
    )


def edition_date_label(edition: NewsletterEdition) -> str:
    send = getattr(edition, "send", None)
    return format_date(send.finished_at or send.started_at) if send else ""
