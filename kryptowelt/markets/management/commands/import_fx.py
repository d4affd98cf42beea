from django.core.management.base import BaseCommand, CommandError

from kryptowelt.markets.services.imports import ImportFileError, fx_rates_import


class Command(BaseCommand):
    help = (
        "Lädt EZB-Referenzkurse EUR/USD aus einer CSV-Datei (Kopfzeile date,usd_per_eur). "
        "Sie rechnen US-Dollar-Verläufe in Euro um."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Pfad zur CSV-Datei")

    def handle(self, *args, file, **options):
        try:
            report = fx_rates_import(source=file)
        except FileNotFoundError as exc:
            raise CommandError(f"Datei nicht gefunden: {file}") from exc
        except (ImportFileError, OSError) as exc:
            raise CommandError(f"Import abgebrochen: {exc}") from exc
        for error in report.errors:
            self.stderr.write(f"übersprungen – {error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wechselkurse: {report.added} neu, {report.existing} bereits vorhanden, "
                f"{len(report.errors)} fehlerhafte Zeilen."
            )
        )
