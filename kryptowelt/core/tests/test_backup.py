"""`kryptowelt backup DIR` and `kryptowelt restore DIR`: a round trip that loses nothing."""

import hashlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from kryptowelt.news.models import ArticlePage


def _database_rows() -> dict[str, list]:
    """Every row of every table (StreamField values compare by content)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _differences(before: dict, after: dict) -> list:
    return [
        (label, [row for row in before[label] if row not in after[label]][:2], after[label][:2])
        for label in before
        if before[label] != after[label]
    ]


def _media_fingerprint() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


# Committed data (a backup reads what is committed); the data migrations' rows (root page,
# groups) are put back afterwards for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_round_trip_loses_nothing(media_root, tmp_path):
    from kryptowelt.demo.loaders import demo_image
    from kryptowelt.home.factories import site_create
    from kryptowelt.news.factories import article_make

    site_create()
    image = demo_image(key="Sicherung", motif="bitcoin", title="Bild für die Sicherung")
    kept = article_make(title="Bleibt nach der Wiederherstellung", hero_image=image)
    gone_later = article_make(title="Wird nach der Sicherung gelöscht")
    before_db, before_media = _database_rows(), _media_fingerprint()
    assert before_media, "the test needs media files"

    call_command("backup", str(tmp_path / "sicherung"))

    # Changes after the backup: a deleted article, a new one, a lost and a new media file.
    gone_later.delete()
    article_make(title="Nach der Sicherung hinzugefügt")
    next(iter(media_root.rglob("*.*"))).unlink()
    (media_root / "neu.txt").write_text("nach der Sicherung")
    assert _database_rows() != before_db

    call_command("restore", str(tmp_path / "sicherung"), interactive=False)

    after_db = _database_rows()
    assert after_db == before_db, _differences(before_db, after_db)
    assert _media_fingerprint() == before_media
    assert ArticlePage.objects.filter(pk=gone_later.pk, title=gone_later.title).exists()
    assert ArticlePage.objects.get(pk=kept.pk).hero_image_id == image.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_refuses_to_overwrite_and_restore_checks_the_files(media_root, tmp_path, home):
    target = tmp_path / "sicherung"
    call_command("backup", str(target))
    with pytest.raises(CommandError, match="schon eine Sicherung"):
        call_command("backup", str(target))
    database_file = next(target.glob("database.*"))
    database_file.write_bytes(database_file.read_bytes()[:-10])
    with pytest.raises(CommandError, match="beschädigt"):
        call_command("restore", str(target), interactive=False)
    with pytest.raises(CommandError, match="keine Sicherung"):
        call_command("restore", str(tmp_path), interactive=False)
