"""Liveness and readiness.

- `/healthz`: the process answers. Touches nothing else (no database, no cache), so a
  supervisor restarts the app only when the app itself is stuck.
- `/readyz`: whether this node should get readers. Checks, each ok or not:

  | name | ok when |
  | --- | --- |
  | `database` | `SELECT 1` answers |
  | `cache` | a value written to the shared cache (Redis) reads back |
  | `migrations` | no migration is left to apply |
  | `tasks` | the oldest task waiting in the queue waits less than `READY_TASK_MAX_AGE` s |
  | `market_data` | the newest market data is younger than `READY_MARKET_DATA_MAX_AGE` s |

  `READY_REQUIRED` names the checks that make the answer 503 (default: all); the others are
  reported only. Ages are whole seconds. Nothing else is said: no host names, versions or
  error texts (they go to the log).

How old market data is comes from the markets app through a setting
(`KRYPTOWELT_READINESS_TIMES`: name → dotted path of a function returning the time of the
newest data or None), so this app never imports a domain app.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

DATABASE_TASKS_BACKEND = "django_tasks_db.DatabaseBackend"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    age_seconds: int | None = None
    aged: bool = False  # whether an age belongs to the check (null: unknown, e.g. no data)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "age_seconds": self.age_seconds} if self.aged else {"ok": self.ok}


def _seconds_since(moment: dt.datetime | None, now: dt.datetime) -> int | None:
    if moment is None:
        return None
    return max(0, int((now - moment).total_seconds()))


def database_ok() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:  # noqa: BLE001 - any failure means "not ready"; the log says which
        logger.warning("Bereitschaft: Datenbank nicht erreichbar", exc_info=True)
        # A broken connection must not be reused (the next request's start closes it too).
        with contextlib.suppress(Exception):
            connection.close_if_unusable_or_obsolete()
        return False


def cache_ok() -> bool:
    """A value written reads back. While Redis's circuit breaker is open (caching/redis.py)
    writes are dropped and reads miss, so this fails without waiting; once its retry time
    is up, this very check is the operation that tries Redis again (asking the breaker's
    `is_available` instead would keep an idle worker red forever)."""
    key = f"kw:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception:  # noqa: BLE001
        logger.warning("Bereitschaft: Cache nicht erreichbar", exc_info=True)
        return False
    return ok


# Once every migration is applied it stays so for the life of the process (a deploy starts
# new processes), so the migration graph is read only until the first success.
_migrations_applied = False


def migrations_ok() -> bool:
    global _migrations_applied  # noqa: PLW0603 - a per-process memo, see above
    if _migrations_applied:
        return True
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # noqa: BLE001
        logger.warning("Bereitschaft: Migrationen nicht lesbar", exc_info=True)
        return False
    _migrations_applied = not plan
    return _migrations_applied


def task_queue(now: dt.datetime | None = None) -> tuple[int, int | None] | None:
    """(tasks ready to run, seconds the oldest of them waits), or None without the database
    task backend. A task waits from when it was queued or, if it was queued for later, from
    the time it may run."""
    if settings.TASKS["default"]["BACKEND"] != DATABASE_TASKS_BACKEND:
        return None
    now = now or timezone.now()
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    now_ready = ready.filter(run_after=get_date_max())
    delayed = ready.exclude(run_after=get_date_max()).filter(run_after__lte=now)
    count = now_ready.count() + delayed.count()
    oldest = [
        moment
        for moment in (
            now_ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first(),
            delayed.order_by("run_after").values_list("run_after", flat=True).first(),
        )
        if moment is not None
    ]
    return count, _seconds_since(min(oldest), now) if oldest else 0


def latest_times() -> dict[str, dt.datetime | None]:
    """Name → time of the newest data, from the functions domain apps register by setting."""
    return {name: import_string(path)() for name, path in settings.KRYPTOWELT_READINESS_TIMES}


def readiness() -> list[Check]:
    now = timezone.now()
    checks = [Check("database", database_ok())]
    checks.append(Check("cache", cache_ok()))
    if not checks[0].ok:
        # Everything else reads the database: report it failed instead of waiting again.
        names = ["migrations", "tasks", *(name for name, _ in settings.KRYPTOWELT_READINESS_TIMES)]
        return [*checks, *(Check(name, False, aged=name != "migrations") for name in names)]
    checks.append(Check("migrations", migrations_ok()))
    try:
        queue = task_queue(now)
    except Exception:  # noqa: BLE001
        logger.warning("Bereitschaft: Aufgaben-Warteschlange nicht lesbar", exc_info=True)
        checks.append(Check("tasks", False, aged=True))
    else:
        if queue is not None:
            age = queue[1] or 0
            limit = settings.KRYPTOWELT_READINESS_AGES["tasks"]
            checks.append(Check("tasks", age <= limit, age, aged=True))
    try:
        times = latest_times()
    except Exception:  # noqa: BLE001
        logger.warning("Bereitschaft: Datenstand nicht lesbar", exc_info=True)
        times = {name: None for name, _ in settings.KRYPTOWELT_READINESS_TIMES}
    for name, moment in times.items():
        age = _seconds_since(moment, now)
        limit = settings.KRYPTOWELT_READINESS_AGES.get(name)
        ok = age is not None and (limit is None or age <= limit)
        checks.append(Check(name, ok, age, aged=True))
    return checks


def ready(checks: list[Check]) -> bool:
    required = set(settings.KRYPTOWELT_READINESS_REQUIRED)
    return all(check.ok for check in checks if check.name in required)
