from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kryptowelt.comparisons.provider_file import CONTENT_FILE, ProviderImportError
from kryptowelt.comparisons.services import providers_update


class Command(BaseCommand):
    help = (
        "Bringt die Anbieterdaten aus providers.toml in die Datenbank: neue Anbieter werden "
        "angelegt und veröffentlicht; weicht ein bestehender Anbieter von der Datei ab, wird "
        "die Fassung der Datei als Entwurf gespeichert (mit --veroeffentlichen sofort "
        "veröffentlicht). Eine fehlerhafte Datei wird mit Zeilennummer abgelehnt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, nargs="?", default=CONTENT_FILE, help="Pfad zur TOML-Datei"
        )
        parser.add_argument(
            "--veroeffentlichen",
            action="store_true",
            help="Geänderte Anbieter sofort veröffentlichen statt als Entwurf speichern.",
        )

    def handle(self, *args, file: Path, veroeffentlichen: bool, **options):
        if not file.is_file():
            raise CommandError(f"Datei nicht gefunden: {file}")
        try:
            report = providers_update(path=file, publish=veroeffentlichen)
        except ProviderImportError as exc:
            raise CommandError(f"Nicht importiert, nichts gespeichert: {exc}") from exc
        state = "veröffentlicht" if veroeffentlichen else "als Entwurf gespeichert"
        for slug in report.updated:
            self.stdout.write(f"Geändert ({state}) – {slug}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Anbieter: {len(report.created)} neu, {len(report.updated)} geändert, "
                f"{len(report.unchanged)} unverändert."
            )
        )
