import datetime as dt
import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from kryptowelt.core.scheduling import (
    periodic_job_claim,
    periodic_job_next_check,
    periodic_job_release,
)
from kryptowelt.core.worker import worker_id_make

logger = logging.getLogger("kryptowelt.scheduler")


class Command(BaseCommand):
    help = (
        "Führt die periodischen Aufgaben aus (geplante Veröffentlichungen, Kurs-Aktualisierung "
        "…), bis der Prozess beendet wird. In Produktion alternativ per Timer/Cron mit --once. "
        "Mehrere Scheduler (einer je App-Server) dürfen gleichzeitig laufen: Jede fällige "
        "Aufgabe übernimmt genau einer (core/scheduling.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Jede fällige Aufgabe einmal ausführen und enden (für Timer/Cron, jede Minute).",
        )

    def handle(self, *args, once: bool, **options):
        jobs = [
            (path, import_string(path), seconds)
            for path, seconds in settings.KRYPTOWELT_PERIODIC_JOBS
        ]
        self.owner = worker_id_make()
        next_check = {path: timezone.now() for path, _, _ in jobs}
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            for path, job, seconds in jobs:
                if once or timezone.now() >= next_check[path]:
                    next_check[path] = self.run_if_claimed(path, job, seconds)
            if once:
                return
            time.sleep(1)

    def run_if_claimed(self, path, job, seconds):
        """Run `job` if this scheduler gets it; when to look at it again."""
        close_old_connections()
        try:
            claimed = periodic_job_claim(name=path, interval=seconds, owner=self.owner)
        except DatabaseError as error:
            logger.warning("Periodische Aufgabe %s nicht übernommen: %s", path, error)
            close_old_connections()
            return timezone.now() + dt.timedelta(seconds=5)
        if claimed:
            logger.info("Periodische Aufgabe %s gestartet (%s).", path, self.owner)
            succeeded = self.run_job(job)
            try:
                periodic_job_release(name=path, owner=self.owner, succeeded=succeeded)
            except DatabaseError as error:  # the lease runs out by itself
                logger.warning("Periodische Aufgabe %s nicht freigegeben: %s", path, error)
        try:
            return periodic_job_next_check(name=path)
        except DatabaseError:
            return timezone.now() + dt.timedelta(seconds=5)
        finally:
            close_old_connections()

    def run_job(self, job) -> bool:
        try:
            job()
            return True
        except Exception:  # a failing job must not stop the others
            logger.exception("Periodische Aufgabe %s fehlgeschlagen", job.__name__)
            return False
        finally:
            close_old_connections()
