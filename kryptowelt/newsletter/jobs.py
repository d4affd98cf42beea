"""Periodic jobs of the newsletter (settings.KRYPTOWELT_PERIODIC_JOBS)."""

from kryptowelt.newsletter.sending import edition_send_start, editions_due
from kryptowelt.newsletter.services import subscribers_unconfirmed_prune
from kryptowelt.newsletter.tasks import edition_send_task


def send_due_editions() -> int:
    """Start the editions whose send time has come; drop requests never confirmed."""
    subscribers_unconfirmed_prune()
    started = 0
    for edition in editions_due():
        send = edition_send_start(edition=edition, requested_by="Zeitplan")
        edition_send_task.enqueue(send.pk)
        started += 1
    return started
