"""Periodic jobs run by `kryptowelt scheduler` (see settings.KRYPTOWELT_PERIODIC_JOBS)."""

from django.conf import settings
from django.core.management import call_command

from kryptowelt.core.services import task_results_prune, task_results_reap_stuck


def publish_scheduled_pages():
    """Publish pages whose scheduled time has come and unpublish expired ones."""
    call_command("publish_scheduled", verbosity=0)


def reap_stuck_tasks():
    """Re-queue (or give up) tasks left RUNNING by a worker that died."""
    task_results_reap_stuck()


def prune_task_results():
    """Delete finished task results older than TASK_RESULTS_KEEP_DAYS."""
    task_results_prune(keep_days=settings.KRYPTOWELT_TASK_RESULTS_KEEP_DAYS)
