"""What the WordPress import remembers: which WordPress object became which of ours (so a
second run updates instead of duplicating), and the runs started from the admin."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportFileStorage(FileSystemStorage):
    """Uploaded export files live outside MEDIA_ROOT: they carry e-mail addresses and
    unpublished posts, and media is served to anyone. The folder is read from the settings
    on every use (WORDPRESS_UPLOAD_DIR), not frozen into the migration."""

    @property
    def base_location(self):
        return str(settings.KRYPTOWELT_WORDPRESS_UPLOAD_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def import_file_storage() -> ImportFileStorage:
    return ImportFileStorage()


class WordPressObject(models.Model):
    """One WordPress object and what the import made of it.

    Keyed on the site and the WordPress ID (posts, pages, attachments), login (authors) or
    slug (terms); the GUID is kept as a second key, so a site that changed its address
    between two exports is still recognised."""

    class Kind(models.TextChoices):
        POST = "post", _("Beitrag")
        PAGE = "page", _("Seite")
        ATTACHMENT = "attachment", _("Mediendatei")
        AUTHOR = "author", _("Autor/in")
        CATEGORY = "category", _("Kategorie")
        TAG = "tag", _("Schlagwort")

    site = models.CharField(_("WordPress-Website"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    wp_key = models.CharField(_("WordPress-ID"), max_length=200)
    guid = models.CharField(_("GUID"), max_length=500, blank=True, db_index=True)
    title = models.CharField(_("Titel in WordPress"), max_length=255, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        "news.Author", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.ForeignKey(
        "news.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the last import wrote, to recognise an unchanged item (no write at all) and a
    # page an editor changed since (it is not overwritten).
    content_hash = models.CharField(max_length=64, blank=True)
    revision_id = models.BigIntegerField(null=True, blank=True)
    old_paths = models.JSONField(_("Alte Adressen"), default=list, blank=True)
    created_at = models.DateTimeField(_("Importiert am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Zuletzt aktualisiert"), auto_now=True)

    class Meta:
        verbose_name = _("Importiertes WordPress-Objekt")
        verbose_name_plural = _("Importierte WordPress-Objekte")
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "wp_key"], name="wordpress_object_key")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.wp_key} ({self.site})"


class WordPressImport(models.Model):
    """An import started in the admin: the uploaded file, the options, progress, report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Wartet")
        RUNNING = "running", _("Läuft")
        DONE = "done", _("Fertig")
        FAILED = "failed", _("Abgebrochen")

    file = models.FileField(_("Exportdatei (WXR)"), storage=import_file_storage, upload_to="%Y/%m/")
    original_name = models.CharField(_("Dateiname"), max_length=255, blank=True)
    dry_run = models.BooleanField(_("Probelauf"), default=False)
    fetch_media = models.BooleanField(_("Medien vom alten Server laden"), default=False)
    media_dir = models.CharField(_("Medienordner auf dem Server"), max_length=500, blank=True)
    section_map = models.TextField(_("Rubrik-Zuordnung (TOML)"), blank=True)
    default_section = models.CharField(_("Standard-Rubrik"), max_length=80, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(_("Schritt"), max_length=120, blank=True)
    done = models.PositiveIntegerField(_("Erledigt"), default=0)
    total = models.PositiveIntegerField(_("Gesamt"), default=0)
    report = models.JSONField(_("Bericht"), null=True, blank=True)
    error = models.TextField(_("Fehler"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Gestartet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Hochgeladen am"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Beendet am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("WordPress-Import")
        verbose_name_plural = _("WordPress-Importe")

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0
