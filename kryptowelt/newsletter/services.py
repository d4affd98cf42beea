"""Writes of the newsletter: sign-up, confirmation, deletion, bounces.

Mail goes out through the task queue (tasks.py); the views enqueue it after these writes, so
a sign-up answers in the same time whether or not a mail is due."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kryptowelt.newsletter.models import Delivery, NewsletterList, Subscriber
from kryptowelt.newsletter.tokens import address_key


def subscriber_request(*, address: str, lists: list[NewsletterList]) -> None:
    """A reader asked for `lists`. New or still unconfirmed: (re)write the request and its
    lists. Already confirmed: nothing changes – nobody can alter someone else's lists or
    find out that the address is subscribed."""
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            address=address, defaults={"requested_at": now}
        )
        if subscriber.confirmed_at is not None:
            return
        if not created:
            subscriber.requested_at = now
            subscriber.save(update_fields=["requested_at"])
        subscriber.lists.set(lists)


def subscriber_confirm(*, address: str) -> str:
    """ "confirmed", "already" (confirmed before: nothing changes) or "unknown"."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(address=address).first()
        if subscriber is None:
            return "unknown"
        if subscriber.confirmed_at is not None:
            return "already"
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
        return "confirmed"


def subscriber_delete(*, address: str) -> bool:
    """Unsubscribe: the row goes, with its lists. True if there was one."""
    deleted, _ = Subscriber.objects.filter(address=address).delete()
    return deleted > 0


def subscribers_unconfirmed_prune(*, now: dt.datetime | None = None) -> int:
    """Requests never confirmed within the link's lifetime are deleted."""
    hours = settings.KRYPTOWELT_NEWSLETTER_CONFIRM_HOURS
    cutoff = (now or timezone.now()) - dt.timedelta(hours=hours)
    deleted, _ = Subscriber.objects.filter(
        confirmed_at__isnull=True, requested_at__lt=cutoff
    ).delete()
    return deleted


def delivery_bounce_record(*, address: str, edition_id: int | None = None) -> int:
    """The mail service reported `address` as undeliverable: the latest delivery to it (of
    `edition_id`, if given) counts as bounced. Number of deliveries marked."""
    deliveries = Delivery.objects.filter(address_key=address_key(address)).exclude(
        status=Delivery.Status.PENDING
    )
    if edition_id is not None:
        deliveries = deliveries.filter(send__edition_id=edition_id)
    latest = deliveries.order_by("-send__started_at", "-pk").first()
    if latest is None:
        return 0
    latest.status = Delivery.Status.BOUNCED
    latest.save(update_fields=["status", "updated_at"])
    return 1
