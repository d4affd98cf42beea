"""The background worker (`kryptowelt worker`): django-tasks' database worker, made to
survive what used to end it.

django_tasks_db's `db_worker` ends on the first database error outside the moment it claims
a task: a SQLite database locked for longer than the busy timeout (a `migrate`, a `restore`,
a long admin write) or a PostgreSQL server that restarts. This worker keeps the library's
loop (which task next, priorities, claiming, signals) and adds three things:

- a database error while polling is waited out with back-off (0.5 s, doubling up to 30 s)
  and reported in the log in German; the worker never ends because of it;
- a task's result is stored patiently: a locked database while the result is written delays
  it, it does not lose it (nor mark a finished task failed); a task that itself fails on a
  locked or unreachable database goes back into the queue instead of failing;
- a heartbeat (`core.TaskWorker`, written by a thread every few seconds), so that a task
  left RUNNING by a worker that died is told from one still running
  (`services.task_results_reap_stuck`, a periodic job).

A worker that dies anyway (kill -9, out of memory) is restarted by what started it:
`deploy/serve-production.sh`, `kryptowelt serve` or systemd (docs/runbook.md)."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker

from kryptowelt.core.services import task_worker_beat

logger = logging.getLogger("kryptowelt.worker")

FIRST_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 30.0
# A run of the loop this long without an error starts the back-off from the beginning.
HEALTHY_SECONDS = 60.0
# How long a finished task's result may wait for a locked database before the worker gives up.
RESULT_PATIENCE_SECONDS = 600.0

TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def worker_id_make() -> str:
    """Readable and unique: host, process id and a random part (at most 64 characters)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"[:64]


def next_delay(previous: float) -> float:
    return min(MAX_DELAY_SECONDS, previous * 2) if previous else FIRST_DELAY_SECONDS


def patient(save: Callable, *, patience: float = RESULT_PATIENCE_SECONDS):
    """`save`, retried with back-off while the database is unavailable (up to `patience`)."""

    def save_patiently(*args, **kwargs):
        deadline = time.monotonic() + patience
        delay = 0.0
        while True:
            try:
                return save(*args, **kwargs)
            except TRANSIENT_ERRORS as error:
                delay = next_delay(delay)
                if time.monotonic() + delay > deadline:
                    raise
                logger.warning(
                    "Ergebnis einer Aufgabe kann nicht gespeichert werden (%s) – "
                    "neuer Versuch in %.1f s.",
                    error,
                    delay,
                )
                _close_connections()
                time.sleep(delay)

    return save_patiently


def _close_connections() -> None:
    """Drop this thread's connections: the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            connection.close()


class Heartbeat(threading.Thread):
    """Writes the worker's heartbeat every `interval` seconds, from its own connection, even
    while a long task runs."""

    def __init__(self, *, worker_id: str, interval: float):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.task_id = ""  # what the worker runs now; set by its main thread
        self._stopped = threading.Event()
        self._failing = False

    def beat(self) -> None:
        try:
            task_worker_beat(worker_id=self.worker_id, task_id=self.task_id)
            if self._failing:
                logger.info("Lebenszeichen des Workers %s wieder gespeichert.", self.worker_id)
            self._failing = False
        except DatabaseError as error:
            if not self._failing:
                logger.warning(
                    "Lebenszeichen des Workers %s nicht gespeichert (%s); neuer Versuch in %.0f s.",
                    self.worker_id,
                    error,
                    self.interval,
                )
            self._failing = True
        finally:
            _close_connections()

    def run(self) -> None:
        while not self._stopped.wait(self.interval):
            self.beat()

    def stop(self) -> None:
        self._stopped.set()


class ResilientWorker(Worker):
    """django_tasks_db's worker that waits out database errors and sends a heartbeat."""

    def __init__(self, *, heartbeat_seconds: float, **options):
        super().__init__(**options)
        self.heartbeat = Heartbeat(worker_id=self.worker_id, interval=heartbeat_seconds)

    def run(self) -> None:
        self.heartbeat.beat()
        self.heartbeat.start()
        delay, last_error = 0.0, 0.0
        try:
            while self.running:
                try:
                    super().run()
                    return  # --batch or --max-tasks: done
                except TRANSIENT_ERRORS as error:
                    if time.monotonic() - last_error > HEALTHY_SECONDS:
                        delay = 0.0
                    delay, last_error = next_delay(delay), time.monotonic()
                    logger.warning(
                        "Datenbank gesperrt oder nicht erreichbar (%s) – der Worker wartet "
                        "%.1f s und versucht es dann erneut.",
                        error,
                        delay,
                    )
                    _close_connections()
                    self.startup_delay = False
                    # A stop signal while waiting ends the worker (Worker.shutdown).
                    time.sleep(delay)
        finally:
            self.heartbeat.stop()

    def run_task(self, db_task_result) -> None:
        # set_successful() and set_failed() save through this: a locked database delays the
        # result instead of turning a finished task into a failed one, or killing the worker.
        db_task_result.save = patient(db_task_result.save)
        db_task_result.set_failed = self._retry_when_transient(db_task_result)
        self.heartbeat.task_id = str(db_task_result.id)
        try:
            super().run_task(db_task_result)
        finally:
            self.heartbeat.task_id = ""

    @staticmethod
    def _retry_when_transient(db_task_result):
        """set_failed(), except for a task that failed because the database was locked or
        unreachable: it goes back into the queue (up to KRYPTOWELT_TASK_MAX_ATTEMPTS tries)."""
        set_failed = db_task_result.set_failed

        def set_failed_or_retry(error: BaseException) -> None:
            attempts = len(db_task_result.worker_ids)
            if not isinstance(error, TRANSIENT_ERRORS) or (
                attempts >= settings.KRYPTOWELT_TASK_MAX_ATTEMPTS
            ):
                set_failed(error)
                return
            logger.warning(
                "Aufgabe %s (%s) scheiterte an der Datenbank (%s) – erneut eingereiht "
                "(Versuch %d von %d).",
                db_task_result.id,
                db_task_result.task_path,
                error,
                attempts + 1,
                settings.KRYPTOWELT_TASK_MAX_ATTEMPTS,
            )
            db_task_result.status = TaskResultStatus.READY
            db_task_result.started_at = None
            db_task_result.save(update_fields=["status", "started_at"])

        return set_failed_or_retry
