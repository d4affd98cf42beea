from django.core.management.base import BaseCommand, CommandError

from kryptowelt.markets.services.imports import ImportFileError, price_history_import


class Command(BaseCommand):
    help = (
        "Lädt einen langen täglichen Kursverlauf aus einer CSV-Datei "
        "(Kopfzeile date,open,high,low,close,volume; nötig sind date und close). "
        "Fehlerhafte Zeilen werden mit Zeilennummer gemeldet und übersprungen."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Pfad zur CSV-Datei")
        parser.add_argument("--coin", required=True, help="CoinGecko-ID, z. B. bitcoin")
        parser.add_argument("--currency", required=True, choices=["eur", "usd"])
        parser.add_argument("--name", default="", help="Name, falls der Coin neu ist")
        parser.add_argument("--symbol", default="", help="Kürzel, falls der Coin neu ist")

    def handle(self, *args, file, coin, currency, name, symbol, **options):
        try:
            report = price_history_import(
                source=file, coin_id=coin, currency=currency, name=name, symbol=symbol
            )
        except FileNotFoundError as exc:
            raise CommandError(f"Datei nicht gefunden: {file}") from exc
        except (ImportFileError, OSError) as exc:
            raise CommandError(f"Import abgebrochen: {exc}") from exc
        for error in report.errors:
            self.stderr.write(f"übersprungen – {error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{coin} ({currency.upper()}): {report.added} Tage importiert, "
                f"{report.existing} bereits vorhanden, {len(report.errors)} fehlerhafte Zeilen."
            )
        )
