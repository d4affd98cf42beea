"""`kryptowelt import_wordpress EXPORT.xml`: see docs/wordpress.md."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kryptowelt.wordpress.importer import ImportOptions, WordPressImportError, wordpress_import
from kryptowelt.wordpress.sections import SectionMap, SectionMapError, section_map_parse


class Command(BaseCommand):
    help = (
        "Importiert eine WordPress-Exportdatei (WXR): Beiträge, Seiten, Medien, Autor/innen, "
        "Kategorien und Schlagwörter, mit Weiterleitungen von allen alten Adressen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "export", type=Path, help="Die WXR-Datei (Werkzeuge → Daten exportieren)"
        )
        media = parser.add_mutually_exclusive_group()
        media.add_argument(
            "--media-dir",
            type=Path,
            help="Kopie von wp-content/uploads (Ordner mit <Jahr>/<Monat>/<Datei>)",
        )
        media.add_argument(
            "--fetch-media",
            action="store_true",
            help="Mediendateien von der alten Website laden (nur von deren Adressen)",
        )
        parser.add_argument(
            "--section-map", type=Path, help="TOML-Datei: WordPress-Kategorie → Rubrik"
        )
        parser.add_argument(
            "--default-section",
            default="",
            help="Rubrik (Slug) für Beiträge ohne passende Kategorie "
            "(Standard: WORDPRESS_DEFAULT_SECTION, sonst neuigkeiten)",
        )
        parser.add_argument(
            "--category-base", default="category", help="Kategorie-Basis der alten Adressen"
        )
        parser.add_argument("--tag-base", default="tag", help="Schlagwort-Basis der alten Adressen")
        parser.add_argument(
            "--dry-run", action="store_true", help="Nur prüfen und berichten, nichts speichern"
        )

    def handle(self, *args, export: Path, **options):
        if not export.is_file():
            raise CommandError(f"Exportdatei nicht gefunden: {export}", returncode=2)
        section_map = SectionMap()
        if options["section_map"] is not None:
            try:
                section_map = section_map_parse(options["section_map"].read_text("utf-8"))
            except OSError as exc:
                raise CommandError(
                    f"Rubrik-Zuordnung nicht lesbar: {options['section_map']} ({exc.strerror})",
                    returncode=2,
                ) from exc
            except (SectionMapError, UnicodeDecodeError) as exc:
                raise CommandError(str(exc), returncode=2) from exc
        bar = tqdm(
            total=0,
            unit="Eintrag",
            # Off when the output is not a terminal (logs, CI) or with --verbosity 0.
            disable=options["verbosity"] == 0 or not sys.stderr.isatty(),
            file=sys.stderr,
        )

        def progress(stage, done, total):
            bar.total = total
            bar.set_description(stage)
            bar.n = done
            bar.refresh()

        try:
            report = wordpress_import(
                ImportOptions(
                    path=export,
                    media_dir=options["media_dir"],
                    fetch_media=options["fetch_media"],
                    section_map=section_map,
                    default_section=options["default_section"],
                    dry_run=options["dry_run"],
                    category_base=options["category_base"].strip("/"),
                    tag_base=options["tag_base"].strip("/"),
                ),
                progress=progress,
            )
        except WordPressImportError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        finally:
            bar.close()
        if options["verbosity"] >= 2:
            for line in report.detail_lines():
                self.stdout.write(line)
        elif options["verbosity"] == 1:
            for line in report.detail_lines():
                if not line.startswith("  ") or "Fehlgeschlagen" in line:
                    self.stdout.write(line)
            self.stdout.write("(Einzelheiten mit --verbosity 2)")
        title = "Probelauf – nichts gespeichert" if report.dry_run else "WordPress-Import"
        self.stdout.write(self.style.SUCCESS(title))
        for line in report.summary_lines():
            self.stdout.write(line)
