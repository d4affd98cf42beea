from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kryptowelt.news.importers import ImportFileError, import_articles


class Command(BaseCommand):
    help = "Importiert Artikel aus JSON Lines oder CSV (title, teaser, body, section, tags, published_at, author)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Pfad zur .jsonl- oder .csv-Datei")
        parser.add_argument("--dry-run", action="store_true", help="Nur prüfen, nichts speichern.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"Datei nicht gefunden: {file}")

        def progress(rows):
            # disable=None: no bar when stderr is not a terminal (logs, cron, CI).
            return tqdm(
                rows,
                desc="Import",
                unit="Zeile",
                disable=True if options["verbosity"] == 0 else None,
            )

        try:
            report = import_articles(file, progress=progress, dry_run=dry_run)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc

        for message in report.skipped:
            self.stdout.write(f"Übersprungen – {message}")
        for message in report.notes:
            self.stdout.write(f"Hinweis – {message}")
        for error in report.errors:
            self.stderr.write(f"Fehler – {error}")
        verb = "geprüft" if dry_run else "importiert"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} Artikel {verb}, {len(report.skipped)} übersprungen, "
                f"{len(report.errors)} fehlerhafte Zeilen."
            )
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} Zeilen konnten nicht importiert werden.")
