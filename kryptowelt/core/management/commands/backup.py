from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kryptowelt.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Sichert Datenbank (SQLite oder PostgreSQL) und hochgeladene Medien in den Ordner DIR; "
        "zurückspielen mit `kryptowelt restore DIR`."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Neuer oder leerer Ordner")

    def handle(self, *args, directory: Path, **options):
        try:
            manifest = backup_create(target=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = ", ".join(manifest["files"])
        self.stdout.write(self.style.SUCCESS(f"Sicherung in {directory}: {files}"))
