"""The background task queue: `kryptowelt worker` waits out a locked database, tasks left
RUNNING by a dead worker go back into the queue, old results are pruned on a schedule.

The real lock and the real SIGKILL on the production stack: e2e/tests/test_stack_processes.py."""

import datetime as dt
import logging
import uuid

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, get_date_max
from wagtail.contrib.frontend_cache import tasks as frontend_cache_tasks

from kryptowelt.core import jobs
from kryptowelt.core.models import TaskWorker
from kryptowelt.core.services import task_results_prune

# A real task that needs no data: the caching proxy is not configured in tests.
PURGE_TASK = "wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task"
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def task_row(*, status=TaskResultStatus.READY, **fields) -> DBTaskResult:
    values = {
        "task_path": PURGE_TASK,
        "args_kwargs": {"args": [["http://testserver/"]], "kwargs": {}},
        "backend_name": "default",
        "queue_name": "default",
        "run_after": get_date_max(),
        "status": status,
        **fields,
    }
    return DBTaskResult.objects.create(**values)


def heartbeat(worker_id: str, *, seconds_ago: float, task_id: str = "") -> TaskWorker:
    return TaskWorker.objects.create(
        worker_id=worker_id, last_seen_at=NOW - dt.timedelta(seconds=seconds_ago), task_id=task_id
    )


# --- the worker -------------------------------------------------------------------------------


@pytest.fixture
def no_sleep(monkeypatch, settings):
    """The database backend (tests run tasks inline), and the worker's pauses recorded
    instead of waited."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    pauses = []
    monkeypatch.setattr("time.sleep", pauses.append)
    return pauses


def locked_polls(monkeypatch, times: int) -> None:
    """The next `times` polls of the queue find the database locked (SQLite's answer when a
    `migrate`, `restore` or long admin write holds the lock beyond the busy timeout)."""
    real = db_worker.exclusive_transaction
    failures = iter(range(times))

    def exclusive_transaction(using=None):
        if next(failures, None) is not None:
            raise OperationalError("database is locked")
        return real(using)

    monkeypatch.setattr(db_worker, "exclusive_transaction", exclusive_transaction)


# Committed rows: the worker reads and writes outside the test's transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_waits_out_a_locked_database_and_runs_the_task(monkeypatch, no_sleep, caplog):
    task = task_row()
    locked_polls(monkeypatch, 3)
    caplog.set_level(logging.WARNING, logger="kryptowelt.worker")

    call_command("worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert [pause for pause in no_sleep if pause >= 0.5] == [0.5, 1.0, 2.0]  # back-off
    assert "Datenbank gesperrt oder nicht erreichbar (database is locked)" in caplog.text
    (worker,) = TaskWorker.objects.all()
    assert task.worker_ids == [worker.worker_id]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_locked_database_while_storing_the_result_does_not_fail_the_task(monkeypatch, no_sleep):
    task = task_row()
    real_save = DBTaskResult.save
    locked = iter(range(4))  # more than django-tasks-db's own three tries

    def save(self, *args, **kwargs):
        if "return_value" in (kwargs.get("update_fields") or ()) and next(locked, None) is not None:
            raise OperationalError("database is locked")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(DBTaskResult, "save", save)
    call_command("worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.traceback == ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_that_fails_on_a_locked_database_is_tried_again(monkeypatch, no_sleep):
    task = task_row()
    calls = []

    def get_backends(*args, **kwargs):
        calls.append(len(calls))
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return {}

    monkeypatch.setattr(frontend_cache_tasks, "get_backends", get_backends)
    call_command("worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(calls) == 2
    assert len(task.worker_ids) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_other_errors_still_end_the_worker(monkeypatch, no_sleep):
    """Only a database that is unavailable is waited for; any other fault ends the worker,
    which its supervisor restarts (and which shows in the log)."""
    task_row()

    def broken(using=None):
        raise ZeroDivisionError

    monkeypatch.setattr(db_worker, "exclusive_transaction", broken)
    with pytest.raises(ZeroDivisionError):
        call_command("worker", "--batch", "--no-startup-delay", verbosity=0)


# --- stuck tasks --------------------------------------------------------------------------------


@pytest.fixture
def at_noon():
    with time_machine.travel(NOW, tick=False):
        yield


def started(seconds_ago: float) -> dt.datetime:
    return NOW - dt.timedelta(seconds=seconds_ago)


@pytest.mark.django_db
def test_a_task_whose_worker_died_goes_back_into_the_queue(at_noon):
    heartbeat("tot", seconds_ago=120)
    stuck = task_row(status=TaskResultStatus.RUNNING, started_at=started(130), worker_ids=["tot"])
    heartbeat("lebt", seconds_ago=3)
    running = task_row(
        status=TaskResultStatus.RUNNING, started_at=started(600), worker_ids=["lebt"]
    )
    TaskWorker.objects.filter(worker_id="lebt").update(task_id=str(running.pk))

    jobs.reap_stuck_tasks()

    stuck.refresh_from_db()
    running.refresh_from_db()
    assert stuck.status == TaskResultStatus.READY
    assert stuck.started_at is None
    assert running.status == TaskResultStatus.RUNNING  # a long task in a live worker stays


@pytest.mark.django_db
def test_a_task_that_killed_its_worker_every_time_is_given_up(at_noon, caplog):
    workers = ["erster", "zweiter", "dritter"]
    assert len(workers) == settings.KRYPTOWELT_TASK_MAX_ATTEMPTS
    for worker in workers:
        heartbeat(worker, seconds_ago=90)
    task = task_row(status=TaskResultStatus.RUNNING, started_at=started(100), worker_ids=workers)

    jobs.reap_stuck_tasks()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.finished_at == NOW
    assert "nicht zu Ende geführt" in task.traceback
    error = task.task_result.errors[0]
    assert error.exception_class.__name__ == "WorkerLostError"
    assert "aufgegeben" in caplog.text


@pytest.mark.django_db
def test_a_live_worker_that_went_on_without_its_task_gives_it_back(at_noon):
    """The worker lived, but the task's result was never stored (its heartbeat names no task,
    or another one, well after the task started)."""
    other = uuid.uuid4()
    heartbeat("lebt", seconds_ago=2, task_id=str(other))
    forgotten = task_row(
        status=TaskResultStatus.RUNNING, started_at=started(40), worker_ids=["lebt"]
    )
    just_claimed = task_row(
        status=TaskResultStatus.RUNNING, started_at=started(1), worker_ids=["lebt"]
    )

    jobs.reap_stuck_tasks()

    assert DBTaskResult.objects.get(pk=forgotten.pk).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=just_claimed.pk).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_tasks_of_a_worker_without_heartbeat_count_as_stuck_only_after_an_hour(at_noon):
    recent = task_row(status=TaskResultStatus.RUNNING, started_at=started(600), worker_ids=["alt"])
    old = task_row(status=TaskResultStatus.RUNNING, started_at=started(3700), worker_ids=["alt"])

    jobs.reap_stuck_tasks()

    assert DBTaskResult.objects.get(pk=recent.pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=old.pk).status == TaskResultStatus.READY


# --- pruning -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_finished_task_results_older_than_the_limit_are_pruned(at_noon):
    keep_days = settings.KRYPTOWELT_TASK_RESULTS_KEEP_DAYS
    days = dt.timedelta(days=1)
    old = NOW - (keep_days + 1) * days
    pruned = [
        task_row(status=TaskResultStatus.SUCCESSFUL, finished_at=old),
        task_row(status=TaskResultStatus.FAILED, finished_at=old),
    ]
    kept = [
        task_row(status=TaskResultStatus.SUCCESSFUL, finished_at=NOW - (keep_days - 1) * days),
        task_row(status=TaskResultStatus.READY),
        task_row(status=TaskResultStatus.RUNNING, started_at=old, worker_ids=["w"]),
    ]
    DBTaskResult.objects.filter(pk__in=[row.pk for row in [*pruned, *kept]]).update(enqueued_at=old)
    heartbeat("vorgestern", seconds_ago=2 * 86400)
    heartbeat("eben", seconds_ago=5)

    jobs.prune_task_results()

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {row.pk for row in kept}
    assert list(TaskWorker.objects.values_list("worker_id", flat=True)) == ["eben"]


@pytest.mark.django_db
def test_pruning_deletes_in_small_batches(at_noon):
    old = NOW - dt.timedelta(days=30)
    for _ in range(7):
        task_row(status=TaskResultStatus.SUCCESSFUL, finished_at=old)
    assert task_results_prune(keep_days=14, batch_size=3) == 7
    assert not DBTaskResult.objects.exists()


def test_the_scheduler_runs_the_reaper_every_minute_and_prunes_regularly():
    jobs_by_name = {
        import_string(path).__name__: seconds for path, seconds in settings.KRYPTOWELT_PERIODIC_JOBS
    }
    assert jobs_by_name["reap_stuck_tasks"] <= 60
    assert jobs_by_name["prune_task_results"] <= 86400
