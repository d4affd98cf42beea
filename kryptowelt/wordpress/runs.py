"""Imports started in the admin: the uploaded file is imported by a background task, which
records its progress and report on the WordPressImport row the editor watches."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from kryptowelt.wordpress.importer import ImportOptions, WordPressImportError, wordpress_import
from kryptowelt.wordpress.models import WordPressImport
from kryptowelt.wordpress.sections import SectionMapError, section_map_parse

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 1.0


def media_dir_check(value: str) -> Path | None:
    """A media folder named in the admin, which must lie below WORDPRESS_MEDIA_ROOT."""
    if not value.strip():
        return None
    root = Path(settings.WORDPRESS_MEDIA_ROOT).resolve()
    candidate = Path(value.strip())
    path = (candidate if candidate.is_absolute() else root / candidate).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"Der Medienordner muss unterhalb von {root} liegen.")
    if not path.is_dir():
        raise ValueError(f"Medienordner nicht gefunden: {path}")
    return path


def import_run_execute(*, import_id: int, http_client=None) -> str:
    """Run a queued import; returns its final status. Never raises for a bad file."""
    run = WordPressImport.objects.filter(pk=import_id, status=WordPressImport.Status.QUEUED).first()
    if run is None:
        return "not-queued"
    WordPressImport.objects.filter(pk=run.pk).update(
        status=WordPressImport.Status.RUNNING, stage="Datei wird geprüft"
    )
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_SECONDS or done == total:
            last[0] = now
            WordPressImport.objects.filter(pk=run.pk).update(stage=stage, done=done, total=total)

    status, values = WordPressImport.Status.FAILED, {}
    try:
        options = ImportOptions(
            path=Path(run.file.path),
            media_dir=media_dir_check(run.media_dir),
            fetch_media=run.fetch_media,
            http_client=http_client,
            section_map=section_map_parse(run.section_map),
            default_section=run.default_section,
            dry_run=run.dry_run,
            user=run.started_by,
        )
        report = wordpress_import(options, progress=progress)
        status, values = WordPressImport.Status.DONE, {"report": report.to_dict(), "stage": ""}
    except (WordPressImportError, SectionMapError, ValueError) as exc:
        values = {"error": str(exc)}
    except Exception as exc:  # the editor must learn that it stopped, whatever the cause
        logger.exception("WordPress-Import %s abgebrochen", run.pk)
        values = {
            "error": f"Unerwarteter Fehler ({exc.__class__.__name__}); Details im Server-Log."
        }
    WordPressImport.objects.filter(pk=run.pk).update(
        status=status, finished_at=timezone.now(), **values
    )
    return status
