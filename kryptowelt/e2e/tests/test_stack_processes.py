"""Faults in the stack's background processes (`make serve-production`): a task worker
killed with SIGKILL, a scheduler killed, the database locked (SQLite: longer than its busy
timeout; PostgreSQL, the stack's default: the task table locked and the waiting worker's
connection cut, as a server restart or fail-over does). Readers must not notice: cached and
uncached pages keep answering, the worker waits out the lock or is restarted, and queued
tasks still run.

Runs on the stack of test_production_stack.py (one stack per session)."""

import json
import os
import signal
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from kryptowelt.e2e.tests.test_production_stack import fetch

pytestmark = [pytest.mark.stack]

TASKS_TABLE = "django_tasks_database_dbtaskresult"
# Longer than SQLite's busy timeout (5 s): the wait for the lock ends in "database is locked".
LOCK_SECONDS = 6.5
# nginx's answers from its cache (UPDATING, STALE: while one request refreshes the page).
FROM_THE_CACHE = {"HIT", "UPDATING", "STALE"}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too (its supervisor has not reaped it yet).
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_for(condition, *, seconds: float, message: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(message)


def _enqueue_purge(stack, path: str) -> str:
    """Queue the task publishing queues first (a purge of the caching proxy); its id."""
    code = (
        "from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task as t; "
        f"print(t.enqueue([{stack.url(path)!r}]).id)"
    )
    return stack.kryptowelt("shell", "-c", code).strip().splitlines()[-1]


def _task(stack, task_id: str) -> tuple[str, str]:
    rows = stack.sql(
        f"select status, worker_ids from {TASKS_TABLE} where id = ?",  # noqa: S608
        (uuid.UUID(task_id).hex,),
    )
    if not rows:
        return ("", "")
    status, worker_ids = rows[0]
    # JSON text on SQLite, already a list on PostgreSQL (jsonb).
    return status, worker_ids if isinstance(worker_ids, str) else json.dumps(worker_ids)


def _worker_polling(stack, pid: int) -> bool:
    """The worker `pid` has written its heartbeat, i.e. it is up and polling the queue."""
    return bool(stack.sql("select 1 from core_taskworker where pid = ?", (pid,)))


def _readers_get_answers(stack, seconds: float) -> list[tuple[str, int, str]]:
    """(path, status, X-Cache-Status) of a reader's requests for `seconds`: a cached page and
    pages nobody asked for before (rendered by the app)."""
    answers, deadline, n = [], time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        n += 1
        for path in ("/", f"/suche/?q=Bitcoin{n}x{os.getpid()}"):
            status, headers, _ = fetch(stack.url(path))
            answers.append((path, status, headers.get("X-Cache-Status", "")))
        time.sleep(0.3)
    return answers


def _queue_empty(stack) -> bool:
    return not stack.sql(
        f"select 1 from {TASKS_TABLE} where status in ('READY', 'RUNNING') limit 1"  # noqa: S608
    )


def test_the_worker_waits_out_a_locked_database_and_readers_notice_nothing(stack):
    worker = stack.pid("worker")
    _wait_for(lambda: _worker_polling(stack, worker), seconds=60, message="Worker startet nicht")
    # The worker polls an empty queue (the demo's tasks are done), so its poll meets the lock.
    _wait_for(
        lambda: _queue_empty(stack), seconds=300, message="Die Warteschlange leert sich nicht"
    )
    fetch(stack.url("/"))
    log_before = (stack.var_dir / "log" / "worker.log").read_text()
    failed_before = stack.sql(f"select count(*) from {TASKS_TABLE} where status = 'FAILED'")  # noqa: S608

    cut = []

    def hold_write_lock():
        # What a long `migrate`, `restore` or admin write does to the other processes.
        with sqlite3.connect(stack.var_dir / "kryptowelt.sqlite3", isolation_level=None) as db:
            db.execute("BEGIN IMMEDIATE")
            time.sleep(LOCK_SECONDS)
            db.execute("ROLLBACK")

    def lock_and_cut_the_waiters():
        # PostgreSQL waits for a lock without an error, so the lock alone would only pause the
        # worker; a restart or fail-over of the server cuts its connection meanwhile.
        with psycopg.connect(stack.database_url) as db:
            db.execute(f"LOCK TABLE {TASKS_TABLE} IN ACCESS EXCLUSIVE MODE")
            deadline = time.monotonic() + LOCK_SECONDS
            while not cut and time.monotonic() < deadline - 1:
                time.sleep(0.3)
                cut.extend(
                    db.execute(
                        "select pg_terminate_backend(pid) from pg_stat_activity"
                        " where wait_event_type = 'Lock' and pid <> pg_backend_pid()"
                    ).fetchall()
                )
            time.sleep(max(0.0, deadline - time.monotonic()))
            db.rollback()

    locker = threading.Thread(
        target=lock_and_cut_the_waiters if stack.on_postgresql else hold_write_lock
    )
    locker.start()
    answers = _readers_get_answers(stack, LOCK_SECONDS - 0.5)
    locker.join()

    assert cut or not stack.on_postgresql, "Der Worker wartete nie auf die Sperre"
    assert answers and all(status == 200 for _, status, _ in answers), answers
    assert {cache for path, _, cache in answers if path == "/"} <= FROM_THE_CACHE
    # The same worker process, still alive, said in its log what happened…
    assert _alive(worker) and stack.pid("worker") == worker
    log = (stack.var_dir / "log" / "worker.log").read_text()[len(log_before) :]
    assert "Datenbank gesperrt oder nicht erreichbar" in log, log[-2000:]
    assert stack.sql(f"select count(*) from {TASKS_TABLE} where status = 'FAILED'") == (  # noqa: S608
        failed_before
    )
    # …and runs the next task.
    task_id = _enqueue_purge(stack, "/")
    status, worker_ids = _wait_for(
        lambda: _task(stack, task_id)[0] == "SUCCESSFUL" and _task(stack, task_id),
        seconds=30,
        message="Der Worker führt nach der Sperre keine Aufgabe mehr aus",
    )
    assert f":{worker}:" in worker_ids


def test_a_killed_worker_is_restarted_while_readers_keep_being_served(stack):
    for _ in range(2):
        fetch(stack.url("/"))
    old = stack.pid("worker")
    os.kill(old, signal.SIGKILL)

    answers = _readers_get_answers(stack, 3)
    assert answers and all(status == 200 for _, status, _ in answers), answers
    assert {cache for path, _, cache in answers if path == "/"} <= FROM_THE_CACHE

    new = _wait_for(
        lambda: stack.pid("worker") != old and _alive(stack.pid("worker")) and stack.pid("worker"),
        seconds=30,
        message="Der Worker wurde nicht neu gestartet",
    )
    assert not _alive(old)
    # A task queued now is run by the new worker: the home page leaves the proxy cache.
    task_id = _enqueue_purge(stack, "/")
    _, worker_ids = _wait_for(
        lambda: _task(stack, task_id)[0] == "SUCCESSFUL" and _task(stack, task_id),
        seconds=60,
        message="Kein neuer Worker führt die Aufgabe aus",
    )
    assert f":{new}:" in worker_ids
    assert fetch(stack.url("/"))[1]["X-Cache-Status"] == "MISS"


def test_a_killed_scheduler_is_restarted(stack):
    old = stack.pid("scheduler")
    os.kill(old, signal.SIGKILL)
    assert fetch(stack.url("/"))[0] == 200
    _wait_for(
        lambda: stack.pid("scheduler") != old and _alive(stack.pid("scheduler")),
        seconds=30,
        message="Der Scheduler wurde nicht neu gestartet",
    )


def _readiness(stack) -> tuple[int, dict]:
    """/readyz through nginx, as a load balancer or monitor asks it."""
    import json

    status, headers, body = fetch(stack.url("/readyz"))
    assert headers.get("Cache-Control") == "no-store"
    assert not headers.get("X-Cache-Status"), "readyz came from nginx's cache"
    return status, json.loads(body)


def test_readyz_turns_red_without_redis_and_green_after(stack):
    status, body = _wait_for(
        lambda: (answer := _readiness(stack))[0] == 200 and answer,
        seconds=60,
        message="/readyz wird nicht grün",
    )
    assert body["checks"]["cache"] == {"ok": True}
    pid = int((stack.var_dir / "run" / "redis.pid").read_text())
    os.kill(pid, signal.SIGKILL)  # serve-production starts it again after a while

    started = time.monotonic()
    status, body = _readiness(stack)
    assert time.monotonic() - started < 5, "readyz hangs while Redis is away"
    assert status == 503, body
    assert body["status"] == "fail"
    assert body["checks"]["cache"] == {"ok": False}
    assert body["checks"]["database"] == {"ok": True}
    # Liveness does not depend on Redis: the process is fine.
    assert fetch(stack.url("/healthz"))[0] == 200
    # Redis is started again (REDIS_RESTART_SECONDS); the breaker lets the app try again
    # after CACHE_RETRY_SECONDS, and readiness turns green without a restart of the app.
    _wait_for(
        lambda: _readiness(stack)[0] == 200,
        seconds=stack.redis_restart_seconds + 60,
        message="/readyz wird nach dem Neustart von Redis nicht wieder grün",
    )
    assert int((stack.var_dir / "run" / "redis.pid").read_text()) != pid


def test_nginx_and_the_app_share_one_request_id(stack):
    import re

    status, headers, _ = fetch(stack.url(f"/suche/?q=Kennung{os.getpid()}"))
    assert status == 200
    request_id = headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id), request_id
    assert len(headers.get_all("X-Request-ID")) == 1
    log = stack.var_dir / "log" / "nginx-access.log"
    _wait_for(
        lambda: f"rid={request_id}" in log.read_text(),
        seconds=10,
        message="nginx schreibt die Request-ID nicht in sein Log",
    )
    # A client cannot choose it: nginx makes its own.
    _, headers, _ = fetch(stack.url("/"), headers={"X-Request-ID": "von-aussen"})
    assert headers["X-Request-ID"] != "von-aussen"
