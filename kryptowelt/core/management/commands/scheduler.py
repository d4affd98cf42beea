import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger("kryptowelt.scheduler")


class Command(BaseCommand):
    help = (
        "Führt die periodischen Aufgaben aus (geplante Veröffentlichungen, Kurs-Aktualisierung "
        "…), bis der Prozess beendet wird. In Produktion alternativ per Timer/Cron mit --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Jede Aufgabe einmal ausführen.")

    def handle(self, *args, once: bool, **options):
        jobs = [
            (import_string(path), seconds) for path, seconds in settings.KRYPTOWELT_PERIODIC_JOBS
        ]
        next_run = {job: 0.0 for job, _ in jobs}
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            now = time.monotonic()
            for job, seconds in jobs:
                if once or now >= next_run[job]:
                    self.run_job(job)
                    next_run[job] = time.monotonic() + seconds
            if once:
                return
            time.sleep(1)

    def run_job(self, job):
        close_old_connections()
        try:
            job()
        except Exception:  # a failing job must not stop the others
            logger.exception("Periodische Aufgabe %s fehlgeschlagen", job.__name__)
        finally:
            close_old_connections()
