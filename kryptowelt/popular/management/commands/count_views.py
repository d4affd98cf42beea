from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kryptowelt.popular.services import article_views_count, article_views_prune


class Command(BaseCommand):
    help = (
        "Zählt die Artikelaufrufe aus dem Aufruf-Protokoll von nginx für „Meistgelesen“ "
        "(sonst alle paar Minuten durch den Scheduler) und leert das Protokoll."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--log",
            default=settings.KRYPTOWELT_VIEWS_LOG,
            help="Protokolldatei (Vorgabe: VIEWS_LOG_FILE, %(default)s)",
        )

    def handle(self, *args, log: str, **options):
        path = Path(log)
        if not path.parent.is_dir():
            raise CommandError(f"Den Ordner des Protokolls gibt es nicht: {path.parent}")
        report = article_views_count(log=path)
        pruned = article_views_prune()
        self.stdout.write(
            f"{report.lines} Zeilen gelesen: {report.views} Artikelaufrufe gezählt, "
            f"{report.other} Aufrufe anderer Seiten, {report.skipped} nicht gezählt "
            f"(Bots, Vorabrufe, Fehler). {pruned} alte Stundenwerte gelöscht."
        )
