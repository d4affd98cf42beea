"""Background tasks of the alerts app (django-tasks): the mails the alert form causes, and
checking alerts after a market sync."""

import dataclasses

from django_tasks import task

from kryptowelt.alerts.services import alert_request_mail_send, alerts_check

# Above the logo downloads (-20) and the coin mentions (-10), below purges: a price alert is
# only worth something while the price is new.
CHECK_PRIORITY = 10


@task(priority=CHECK_PRIORITY)
def alerts_check_task() -> dict:
    """Check every active alert against the stored prices (queued after each market sync)."""
    return dataclasses.asdict(alerts_check())


# Readers wait for these mails: like the newsletter's confirmation mails (purges stay ahead).
@task(priority=10)
def request_mail_task(alert_id: int, mail: str) -> str:
    """The confirmation (or "already set" / "limit reached") mail of a form request."""
    return alert_request_mail_send(alert_id=alert_id, mail=mail)
