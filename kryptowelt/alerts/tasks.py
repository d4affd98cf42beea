"""Background task of the alerts app (django-tasks): checking alerts after a market sync."""

import dataclasses

from django_tasks import task

from kryptowelt.alerts.services import alerts_check

# Above the logo downloads (-20) and the coin mentions (-10), below purges: a price alert is
# only worth something while the price is new.
CHECK_PRIORITY = 10


@task(priority=CHECK_PRIORITY)
def alerts_check_task() -> dict:
    """Check every active alert against the stored prices (queued after each market sync)."""
    return dataclasses.asdict(alerts_check())
