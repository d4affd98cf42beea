from django.conf import settings
from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from kryptowelt.core.worker import ResilientWorker, worker_id_make


class Command(DatabaseWorkerCommand):
    help = (
        "Führt Hintergrundaufgaben aus (Suchindex, Cache-Leerung, ähnliche Artikel, Logos). "
        "Wie `db_worker`, aber eine gesperrte oder kurz unerreichbare Datenbank wird mit "
        "wachsender Pause abgewartet, und ein Lebenszeichen zeigt, welche Aufgabe läuft."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None, reload=False)

    def handle(self, *args, **options):
        self.configure_logging(options["verbosity"])
        if options["reload"]:
            raise CommandError("--reload wird nicht unterstützt; den Worker neu starten.")
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues geht nur zusammen mit --queue-name '*'.")
        worker = ResilientWorker(
            heartbeat_seconds=settings.KRYPTOWELT_WORKER_HEARTBEAT_SECONDS,
            queue_names=queue_names,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or worker_id_make(),
        )
        worker.configure_signals()
        worker.run()
