import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

# A background process that ends is started again after this pause, doubled on every quick
# end (up to the maximum); one that ran this long starts from the first pause again.
RESTART_DELAY_SECONDS = 1.0
RESTART_DELAY_MAX_SECONDS = 30.0
RESTART_HEALTHY_SECONDS = 60.0


class Background:
    """A background process (worker, scheduler) that is restarted when it ends."""

    def __init__(self, name: str, command: list[str]):
        self.name, self.command = name, command
        self.delay = 0.0
        self.restart_at = 0.0
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command)  # noqa: S603 - our own command line
        self.started_at = time.monotonic()

    def check(self, stdout) -> None:
        """Restart the process if it ended (after the back-off pause)."""
        now = time.monotonic()
        if self.process is None:
            if now >= self.restart_at:
                self.start()
            return
        status = self.process.poll()
        if status is None:
            return
        ran = now - self.started_at
        self.delay = (
            RESTART_DELAY_SECONDS
            if ran >= RESTART_HEALTHY_SECONDS or not self.delay
            else min(RESTART_DELAY_MAX_SECONDS, self.delay * 2)
        )
        stdout.write(
            f"{self.name} hat sich beendet (Status {status}) – Neustart in {self.delay:.0f} s."
        )
        self.process, self.restart_at = None, now + self.delay

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Command(BaseCommand):
    help = (
        "Startet den Webserver zusammen mit dem Hintergrund-Worker (Aufgaben) und dem "
        "Scheduler (periodische Aufgaben); Worker und Scheduler werden neu gestartet, wenn "
        "sie enden. Strg+C beendet alle drei."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args, host: str, port: str, **options):
        kryptowelt = [sys.executable, "-m", "kryptowelt.cli"]
        background = [
            Background(
                "Der Worker", [*kryptowelt, "worker", "--interval", "1", "--queue-name", "*"]
            ),
            Background("Der Scheduler", [*kryptowelt, "scheduler"]),
        ]
        for process in background:
            process.start()
        web = subprocess.Popen([*kryptowelt, "runserver", f"{host}:{port}", "--noreload"])  # noqa: S603
        self.stdout.write(f"Kryptowelt läuft auf http://{host}:{port}/ – beenden mit Strg+C.")

        def shutdown(*_):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, shutdown)
        try:
            # The web server is the one that matters; when it ends, everything ends.
            while web.poll() is None:
                for process in background:
                    process.check(self.stdout)
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            if web.poll() is None:
                web.terminate()
            for process in background:
                process.stop()
            for process in background:
                process.wait()
            try:
                web.wait(timeout=10)
            except subprocess.TimeoutExpired:
                web.kill()
