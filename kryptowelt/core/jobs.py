"""Periodic jobs run by `kryptowelt scheduler` (see settings.KRYPTOWELT_PERIODIC_JOBS)."""

from django.core.management import call_command


def publish_scheduled_pages():
    """Publish pages whose scheduled time has come and unpublish expired ones."""
    call_command("publish_scheduled", verbosity=0)
