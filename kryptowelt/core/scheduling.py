"""Periodic jobs that run once however many schedulers run (`kryptowelt scheduler`, one per
app node): when a job is next due lives in the database, and a scheduler runs a job only
after claiming it there.

A claim is one conditional UPDATE ("due, and not running elsewhere" → "next due in
INTERVAL seconds, running here until the lease ends"): of two schedulers claiming the same
row at the same moment exactly one changes it, on SQLite (writes are serialised) as on
PostgreSQL (the second UPDATE waits for the first and re-checks its condition). No lock is
held between statements and every statement commits on its own, so it also works through
pgbouncer in transaction mode, where session-level advisory locks do not. A scheduler that
dies while running a job holds it until the lease ends (SCHEDULER_LEASE_SECONDS).

The model lives here with the functions that write it (and is imported by core/models.py)
so that the whole mechanism reads in one place."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    """When a periodic job (settings.KRYPTOWELT_PERIODIC_JOBS) is next due, and who runs it."""

    name = models.CharField(_("Aufgabe"), max_length=200, unique=True)
    next_run_at = models.DateTimeField(_("Nächster Lauf"))
    running_on = models.CharField(_("Läuft auf"), max_length=64, blank=True)
    running_until = models.DateTimeField(
        _("Reserviert bis"),
        null=True,
        help_text=_("Solange läuft die Aufgabe bei dem Scheduler, der sie übernommen hat."),
    )
    runs = models.PositiveIntegerField(_("Läufe"), default=0)
    last_started_at = models.DateTimeField(_("Zuletzt gestartet"), null=True)
    last_finished_at = models.DateTimeField(_("Zuletzt beendet"), null=True)
    last_succeeded_at = models.DateTimeField(_("Zuletzt erfolgreich"), null=True)

    class Meta:
        app_label = "core"
        verbose_name = _("Periodische Aufgabe")
        verbose_name_plural = _("Periodische Aufgaben")

    def __str__(self):
        return self.name


def periodic_job_claim(
    *,
    name: str,
    interval: float,
    owner: str,
    now: dt.datetime | None = None,
) -> bool:
    """Take the job `name` for this scheduler (`owner`) if it is due and no other scheduler
    runs it; True if this one may run it now."""
    now = now or timezone.now()
    PeriodicJob.objects.bulk_create(
        [PeriodicJob(name=name, next_run_at=now)], ignore_conflicts=True
    )
    free = Q(running_until__isnull=True) | Q(running_until__lte=now)
    lease = dt.timedelta(seconds=max(interval, settings.KRYPTOWELT_SCHEDULER_LEASE_SECONDS))
    return bool(
        PeriodicJob.objects.filter(free, name=name, next_run_at__lte=now).update(
            next_run_at=now + dt.timedelta(seconds=interval),
            running_on=owner[:64],
            running_until=now + lease,
            runs=F("runs") + 1,
            last_started_at=now,
        )
    )


def periodic_job_release(
    *, name: str, owner: str, succeeded: bool, now: dt.datetime | None = None
) -> None:
    """The job `name` has ended on this scheduler: others may run it when it is next due."""
    now = now or timezone.now()
    finished = {"last_succeeded_at": now} if succeeded else {}
    PeriodicJob.objects.filter(name=name, running_on=owner[:64]).update(
        running_on="", running_until=None, last_finished_at=now, **finished
    )


def periodic_job_next_check(*, name: str, now: dt.datetime | None = None) -> dt.datetime:
    """When a scheduler should try to claim `name` again (at least a second from now)."""
    now = now or timezone.now()
    soonest = now + dt.timedelta(seconds=1)
    job = PeriodicJob.objects.filter(name=name).only("next_run_at", "running_until").first()
    if job is None:
        return soonest
    due = job.next_run_at
    if job.running_until and job.running_until > due:
        due = min(job.running_until, now + dt.timedelta(seconds=10))
    return max(due, soonest)
