"""Several schedulers at once (one per app node): each due periodic job runs once.

The claim itself on both databases; its race (two schedulers with their own connections at
the same instant) on PostgreSQL, where the suite runs with DATABASE_URL (scripts/test.sh).
Two scheduler processes over one database: kryptowelt/e2e/tests/test_two_nodes.py."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from kryptowelt.core.models import PeriodicJob
from kryptowelt.core.scheduling import (
    periodic_job_claim,
    periodic_job_next_check,
    periodic_job_release,
)

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
RUNS: list[str] = []


def probe():
    """A periodic job for these tests: records that it ran."""
    RUNS.append("probe")


@pytest.mark.django_db
def test_a_due_job_is_claimed_by_one_scheduler_until_its_interval_has_passed():
    assert periodic_job_claim(name="sync", interval=300, owner="node-a", now=NOW)
    assert not periodic_job_claim(name="sync", interval=300, owner="node-b", now=NOW)
    periodic_job_release(name="sync", owner="node-a", succeeded=True, now=NOW)
    # Done, but not due again before its interval, for either scheduler.
    later = NOW + dt.timedelta(seconds=299)
    assert not periodic_job_claim(name="sync", interval=300, owner="node-b", now=later)
    assert periodic_job_next_check(name="sync", now=later) == NOW + dt.timedelta(seconds=300)
    due = NOW + dt.timedelta(seconds=300)
    assert periodic_job_claim(name="sync", interval=300, owner="node-b", now=due)
    job = PeriodicJob.objects.get(name="sync")
    assert (job.runs, job.running_on, job.last_succeeded_at) == (2, "node-b", NOW)


@pytest.mark.django_db
def test_a_job_still_running_elsewhere_is_not_started_again_until_its_lease_ends(settings):
    settings.KRYPTOWELT_SCHEDULER_LEASE_SECONDS = 900
    assert periodic_job_claim(name="history", interval=60, owner="node-a", now=NOW)
    # Due again after 60 s, but node A is still at it (a slow sync): nobody starts it twice.
    busy = NOW + dt.timedelta(seconds=120)
    assert not periodic_job_claim(name="history", interval=60, owner="node-b", now=busy)
    # Node A died without releasing it: after the lease another scheduler takes over.
    orphaned = NOW + dt.timedelta(seconds=901)
    assert periodic_job_claim(name="history", interval=60, owner="node-b", now=orphaned)
    # A release by the dead node's id (late) does not free node B's run.
    periodic_job_release(name="history", owner="node-a", succeeded=False, now=orphaned)
    assert PeriodicJob.objects.get(name="history").running_on == "node-b"


# The command closes stale connections between jobs, as in production: not inside a test's
# transaction. serialized_rollback: the flush after it must not leave rows that later
# serialized tests load again (as every transactional test here).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_scheduler_command_runs_a_job_only_when_it_gets_it(settings):
    settings.KRYPTOWELT_PERIODIC_JOBS = [("kryptowelt.core.tests.test_scheduling.probe", 3600)]
    RUNS.clear()
    call_command("scheduler", "--once")
    assert RUNS == ["probe"]
    job = PeriodicJob.objects.get(name="kryptowelt.core.tests.test_scheduling.probe")
    assert job.running_on == "" and job.last_succeeded_at is not None
    # Not due again for an hour: a timer's next `--once` a minute later leaves it alone …
    call_command("scheduler", "--once")
    assert RUNS == ["probe"]
    # … and so it does when it is due but another scheduler is running it right now.
    PeriodicJob.objects.update(next_run_at=timezone.now())
    PeriodicJob.objects.update(
        running_on="node-b", running_until=timezone.now() + dt.timedelta(hours=1)
    )
    call_command("scheduler", "--once")
    assert RUNS == ["probe"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="braucht PostgreSQL (DATABASE_URL)")
def test_two_schedulers_racing_for_due_jobs_on_postgresql_run_each_once():
    """Two threads, each with its own connection, claim the same due jobs at the same
    instant; for every job exactly one wins."""
    names = [f"job-{number}" for number in range(30)]
    barrier = threading.Barrier(2)
    won: dict[str, list[str]] = {"node-a": [], "node-b": []}

    def scheduler(owner):
        try:
            for name in names:
                barrier.wait(timeout=10)
                if periodic_job_claim(name=name, interval=3600, owner=owner):
                    won[owner].append(name)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler, args=(owner,)) for owner in won]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(won["node-a"] + won["node-b"]) == sorted(names)
    assert not set(won["node-a"]) & set(won["node-b"])
    assert set(PeriodicJob.objects.values_list("runs", flat=True)) == {1}
