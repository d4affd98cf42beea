"""Background tasks (django-tasks) of the newsletter: every mail goes out from here."""

from django_tasks import task

from kryptowelt.core.optin import address_mail_allowed
from kryptowelt.newsletter.mails import confirmation_message, data_message
from kryptowelt.newsletter.selectors import subscriber_get
from kryptowelt.newsletter.sending import edition_send_run

# One confirmation mail per address in this time at most: a flood of sign-ups for someone
# else's address must not flood their inbox.
CONFIRM_MAIL_GAP_SECONDS = 600


# Readers wait for these mails: above the default priority (purges stay ahead at 50).
@task(priority=10)
def confirmation_mail_send(address: str) -> str:
    """Queued for every sign-up, whatever the address's state, so the answer takes the same
    time for all; only a pending request gets a mail."""
    subscriber = subscriber_get(address=address)
    if subscriber is None or subscriber.confirmed_at is not None:
        return "none"
    if not address_mail_allowed(
        scope="newsletter-confirm",
        address=address,
        limit=1,
        window_seconds=CONFIRM_MAIL_GAP_SECONDS,
    ):
        return "recently"
    confirmation_message(subscriber=subscriber).send()
    return "sent"


@task(priority=10)
def data_mail_send(address: str) -> str:
    subscriber = subscriber_get(address=address)
    if subscriber is None:
        return "none"
    data_message(subscriber=subscriber).send()
    return "sent"


# The queue of edition sends: in production only kryptowelt-sender.service works on it, at a
# low CPU priority (deploy/systemd/), so readers never notice a send.
SEND_QUEUE = "newsletter"


# An edition may take a while; purges and readers' mails go first.
@task(priority=-5, queue_name=SEND_QUEUE)
def edition_send_task(send_id: int) -> dict:
    return edition_send_run(send_id=send_id)
