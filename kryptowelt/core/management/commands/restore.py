from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kryptowelt.caching.scopes import Scope, bump
from kryptowelt.core.backup import BackupError, backup_read, backup_restore


class Command(BaseCommand):
    help = (
        "Spielt eine Sicherung aus `kryptowelt backup DIR` zurück: ersetzt die Datenbank und "
        "die Medien vollständig durch den Stand der Sicherung."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Ordner mit der Sicherung")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ohne Rückfrage zurückspielen.",
        )

    def handle(self, *args, directory: Path, interactive: bool, **options):
        try:
            manifest = backup_read(source=directory)
            if interactive:
                answer = input(
                    f"Sicherung vom {manifest['created_at']} zurückspielen? Alle Inhalte seit "
                    "dieser Sicherung gehen verloren. Zum Fortfahren „ja“ eingeben: "
                )
                if answer.strip().lower() != "ja":
                    raise CommandError("Abgebrochen.")
            backup_restore(source=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        # Cached pages show the state before the restore.
        bump(*Scope)
        self.stdout.write(
            self.style.SUCCESS(f"Sicherung vom {manifest['created_at']} zurückgespielt.")
        )
