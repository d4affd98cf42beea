import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Startet den Webserver zusammen mit dem Hintergrund-Worker (Aufgaben) und dem "
        "Scheduler (periodische Aufgaben); Strg+C beendet alle drei."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args, host: str, port: str, **options):
        kryptowelt = [sys.executable, "-m", "kryptowelt.cli"]
        processes = [
            subprocess.Popen(
                [*kryptowelt, "db_worker", "--interval", "1", "--queue-name", "*", "--no-reload"]
            ),
            subprocess.Popen([*kryptowelt, "scheduler"]),
            subprocess.Popen([*kryptowelt, "runserver", f"{host}:{port}", "--noreload"]),
        ]
        self.stdout.write(f"Kryptowelt läuft auf http://{host}:{port}/ – beenden mit Strg+C.")

        def shutdown(*_):
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, shutdown)
        try:
            # The web server is the one that matters; when it ends, everything ends.
            processes[-1].wait()
        except KeyboardInterrupt:
            pass
        finally:
            shutdown()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
