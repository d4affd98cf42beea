import base64
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError

from kryptowelt.core.errors import ERRORS, error_page_html

FOLDER = "fehlerseiten"


def _static_source(path: str) -> Path:
    found = finders.find(path)
    if not found:
        raise CommandError(f"Statische Datei {path} nicht gefunden.")
    return Path(found)


class Command(BaseCommand):
    help = (
        "Schreibt die deutschen Fehlerseiten (400, 403, 404, 413, 414, 429, 431, 500, 502, "
        "503, 504) mit eingebettetem Stylesheet nach STATIC_ROOT/fehlerseiten/, damit nginx "
        "sie auch zeigen kann, wenn die App nicht antwortet (deploy/nginx.conf)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ziel", type=Path, help=f"Ordner (Standard: STATIC_ROOT/{FOLDER})", default=None
        )

    def handle(self, *args, ziel: Path | None, **options):
        target = ziel or Path(settings.STATIC_ROOT) / FOLDER
        css = _static_source("css/site.css").read_text(encoding="utf-8")
        logo = base64.b64encode(_static_source("img/logo.svg").read_bytes()).decode()
        try:
            target.mkdir(parents=True, exist_ok=True)
            for status in ERRORS:
                html = error_page_html(
                    status, inline_css=css, logo_src=f"data:image/svg+xml;base64,{logo}"
                )
                _write_atomically(target / f"{status}.html", html)
        except OSError as error:
            raise CommandError(f"Fehlerseiten konnten nicht geschrieben werden: {error}") from error
        self.stdout.write(f"{len(ERRORS)} Fehlerseiten in {target}")


def _write_atomically(path: Path, text: str) -> None:
    """nginx may serve the file at any moment: never a half-written one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
