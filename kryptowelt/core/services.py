"""Writes shared by every app: pillar pages, and the upkeep of the background task queue
(worker heartbeats, tasks whose worker died, old results)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.signals import page_published, published

from kryptowelt.core.models import TaskWorker

logger = logging.getLogger("kryptowelt.tasks")


@transaction.atomic
def child_page_ensure(*, parent, model, **values):
    """The live child page of type `model` below `parent`, created and published with
    `values` (then the model's `initial_page_values`) if there is none yet.

    For pages a site has once: the pillar index pages (/kurse/, /vergleich/, …). An existing
    page is returned as the editors left it."""
    page = model.objects.child_of(parent).first()
    if page is None:
        page = model(**{**getattr(model, "initial_page_values", {}), **values})
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


# --- the task queue ---------------------------------------------------------------------------


class WorkerLostError(Exception):
    """Recorded as the error of a task whose worker died while running it (too often)."""


# A heartbeat this long after a task's start shows what the worker does after claiming it.
HEARTBEAT_MARGIN = dt.timedelta(seconds=5)


@dataclass
class ReapReport:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def task_worker_beat(*, worker_id: str, task_id: str = "", now: dt.datetime | None = None) -> None:
    """Record that the worker `worker_id` (this process) is alive, running `task_id`."""
    now = now or timezone.now()
    if not TaskWorker.objects.filter(worker_id=worker_id).update(last_seen_at=now, task_id=task_id):
        TaskWorker.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            last_seen_at=now,
            task_id=task_id,
        )


def task_results_reap_stuck(*, now: dt.datetime | None = None) -> ReapReport:
    """Tasks left RUNNING by a worker that died (kill -9, out of memory, a lost machine) or
    that went on without them (their result could not be stored).

    A task is stuck when the worker that claimed it has sent no heartbeat for
    `KRYPTOWELT_WORKER_DEAD_AFTER_SECONDS`, or sends heartbeats that name another task (or
    none) since the task started; for a worker that never sent one (a plain `db_worker`),
    when it started more than `KRYPTOWELT_TASK_STUCK_SECONDS` ago. It is put back into the
    queue, or marked failed once it has been tried `KRYPTOWELT_TASK_MAX_ATTEMPTS` times (a
    task that kills its worker must not do so forever). A task that runs long in a live
    worker is only reported in the log."""
    now = now or timezone.now()
    dead_before = now - dt.timedelta(seconds=settings.KRYPTOWELT_WORKER_DEAD_AFTER_SECONDS)
    stuck_before = now - dt.timedelta(seconds=settings.KRYPTOWELT_TASK_STUCK_SECONDS)
    max_attempts = settings.KRYPTOWELT_TASK_MAX_ATTEMPTS
    heartbeats = {
        worker_id: (last_seen, task_id)
        for worker_id, last_seen, task_id in TaskWorker.objects.values_list(
            "worker_id", "last_seen_at", "task_id"
        )
    }
    report = ReapReport()
    for result in DBTaskResult.objects.running():
        worker_id = result.worker_ids[-1] if result.worker_ids else ""
        started = result.started_at or result.enqueued_at
        last_seen, current_task = heartbeats.get(worker_id, (None, ""))
        if last_seen is None:
            stuck = started < stuck_before
        elif last_seen < dead_before:
            stuck = True
        else:
            # Alive: stuck only if a heartbeat well after the start names another task.
            stuck = current_task != str(result.pk) and last_seen >= started + HEARTBEAT_MARGIN
            if not stuck and started < stuck_before:
                logger.warning(
                    "Aufgabe %s (%s) läuft seit %s im Worker %s – hängt sie?",
                    result.pk,
                    result.task_path,
                    timezone.localtime(started).strftime("%d.%m.%Y %H:%M"),
                    worker_id,
                )
        if not stuck:
            continue
        # Only if nobody finished or re-queued it meanwhile.
        still_running = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        attempts = len(result.worker_ids)
        if attempts < max_attempts:
            if still_running.update(status=TaskResultStatus.READY, started_at=None):
                report.requeued.append(str(result.pk))
                logger.warning(
                    "Aufgabe %s (%s) hing im Zustand RUNNING, ihr Worker %s führt sie nicht "
                    "mehr aus: erneut eingereiht (Versuch %d von %d).",
                    result.pk,
                    result.task_path,
                    worker_id or "?",
                    attempts + 1,
                    max_attempts,
                )
        elif still_running.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{WorkerLostError.__module__}.{WorkerLostError.__qualname__}",
            traceback=(
                f"Der Worker hat die Aufgabe nicht zu Ende geführt (beendet oder abgestürzt; "
                f"{attempts} Versuche, zuletzt Worker {worker_id or '?'}); aufgegeben.\n"
            ),
        ):
            report.failed.append(str(result.pk))
            logger.error(
                "Aufgabe %s (%s) aufgegeben: %d Versuche, keiner wurde zu Ende geführt.",
                result.pk,
                result.task_path,
                attempts,
            )
    return report


def task_results_prune(
    *, keep_days: int, now: dt.datetime | None = None, batch_size: int = 500
) -> int:
    """Delete finished (successful or failed) task results older than `keep_days`, in small
    batches so that no write lock is held for long; also heartbeats of workers gone for a
    day. Returns the number of task results deleted."""
    now = now or timezone.now()
    old = DBTaskResult.objects.finished().filter(finished_at__lt=now - dt.timedelta(days=keep_days))
    deleted = 0
    while ids := list(old.order_by().values_list("pk", flat=True)[:batch_size]):
        deleted += DBTaskResult.objects.filter(pk__in=ids).delete()[0]
    TaskWorker.objects.filter(last_seen_at__lt=now - dt.timedelta(days=1)).delete()
    if deleted:
        logger.info("%d erledigte Aufgaben älter als %d Tage gelöscht.", deleted, keep_days)
    return deleted


def page_publish_new(*, page, revision, user=None) -> None:
    """Publish a page that was just created live (`live=True` before `add_child`) from its
    first revision.

    What Wagtail's publish action does for a new page (no workflow, aliases or comments
    yet): live revision, publication dates, the log entry and the `published` and
    `page_published` signals (caches, purges, search and related lists react to these).
    It skips loading the revision back into a second page object that is validated and
    saved once more, which is almost half the work of creating an article; importers
    create thousands."""
    first = page.first_published_at or revision.created_at
    values = {
        "live": True,
        "live_revision": revision,
        "has_unpublished_changes": False,
        "expired": False,
        "first_published_at": first,
        "last_published_at": page.last_published_at or first,
    }
    Page.objects.filter(pk=page.pk).update(**values)
    for name, value in values.items():
        setattr(page, name, value)
    log(instance=page, action="wagtail.publish", user=user, revision=revision, content_changed=True)
    published.send(sender=type(page), instance=page, revision=revision)
    page_published.send(sender=page.specific_class, instance=page, revision=revision)
