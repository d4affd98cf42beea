import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kryptowelt.comparisons.mica_register import REGISTER_URL, RegisterError
from kryptowelt.comparisons.services import mica_register_import


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--stand: Datum im Format JJJJ-MM-TT erwartet, nicht {value!r}"
        ) from exc


class Command(BaseCommand):
    help = (
        "Liest eine Fassung des MiCA-Registers der ESMA (CASPS.csv) ein, ordnet die Einträge "
        "den Anbietern über ihre LEI zu und berichtet, was sich geändert hat. Eine Datei mit "
        "fehlerhafter Zeile wird mit Zeilennummer abgelehnt; dann wird nichts gespeichert."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="Pfad zur CSV-Datei (Komma oder Semikolon, UTF-8)"
        )
        parser.add_argument(
            "--stand",
            help="Stand des Registers (JJJJ-MM-TT); ohne Angabe das jüngste ac_lastupdate der Datei",
        )
        parser.add_argument(
            "--quelle", default=REGISTER_URL, help="Adresse, von der die Datei stammt"
        )
        parser.add_argument(
            "--auch-ohne-treffer",
            action="store_true",
            help="Auch einlesen, wenn keine LEI eines Anbieters in der Datei steht",
        )

    def handle(self, *args, file: Path, stand: str | None, quelle: str, **options):
        allow_no_match = options["auch_ohne_treffer"]
        if not file.is_file():
            raise CommandError(f"Datei nicht gefunden: {file}")
        snapshot = _date(stand) if stand else None
        try:
            report = mica_register_import(
                data=file.read_bytes(),
                file_name=file.name,
                snapshot=snapshot,
                source=quelle,
                allow_no_match=allow_no_match,
            )
        except RegisterError as exc:
            raise CommandError(f"{file.name} nicht importiert, nichts gespeichert:\n{exc}") from exc
        register = report.register
        self.stdout.write(
            f"Registerstand {register.snapshot:%d.%m.%Y}: {register.rows} Einträge gelesen, "
            f"{len(report.matched)} Anbieter über ihre LEI zugeordnet."
        )
        for change in report.changes:
            self.stdout.write(
                f"Geändert – {change['provider']}: {change['before']} → {change['after']}"
            )
        if not report.changes:
            self.stdout.write("Keine Änderungen für die Anbieter im Vergleich.")
        for warning in report.warnings:
            self.stdout.write(f"Hinweis – {warning}")
        self.stdout.write(self.style.SUCCESS(f"{file.name} importiert."))
