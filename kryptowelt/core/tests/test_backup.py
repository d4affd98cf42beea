"""`kryptowelt backup DIR` and `kryptowelt restore DIR`: a round trip that loses nothing."""

import errno
import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import tarfile
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restored_media_stay_readable_for_a_web_server_of_another_user(media_root, tmp_path):
    """nginx serves /media/ and runs as another user: the media folder must not come back
    as 0700 (the mode of a temporary folder)."""
    previous_umask = os.umask(0o022)
    try:
        (media_root / "images").mkdir()
        (media_root / "images" / "bitcoin.png").write_bytes(b"\x89PNG synthetic")
        (media_root / "original_images").mkdir()
        call_command("backup", str(tmp_path / "sicherung"))
        (media_root / "neu.txt").write_text("nach der Sicherung")

        call_command("restore", str(tmp_path / "sicherung"), interactive=False)
    finally:
        os.umask(previous_umask)

    modes = {
        str(path.relative_to(media_root)): stat.S_IMODE(path.stat().st_mode)
        for path in [media_root, *media_root.rglob("*")]
    }
    assert modes == {
        ".": 0o755,
        "images": 0o755,
        "images/bitcoin.png": 0o644,
        "original_images": 0o755,
    }


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_onto_a_full_disk_stops_cleanly_and_leaves_nothing(
    media_root, tmp_path, monkeypatch
):
    (media_root / "bild.jpg").write_bytes(b"synthetic image bytes" * 100)
    # The database copy fits, the media archive does not.
    monkeypatch.setattr(tarfile.TarFile, "addfile", _disk_full)
    target = tmp_path / "backups" / "sicherung"

    with pytest.raises(CommandError, match="Kein Platz mehr auf dem Datenträger") as error:
        call_command("backup", str(target))

    assert "nichts davon ist liegen geblieben" in str(error.value)
    assert list((tmp_path / "backups").iterdir()) == []
    # Room again: the same folder takes the backup.
    monkeypatch.undo()
    call_command("backup", str(target))
    assert (target / "manifest.json").exists()


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notizen.txt").write_text("etwas anderes")
    with pytest.raises(CommandError, match="nicht leer"):
        call_command("backup", str(tmp_path))
    assert [path.name for path in tmp_path.iterdir()] == ["notizen.txt"]


UNSHARE = shutil.which("unshare")


def _can_mount_tmpfs() -> bool:
    if not UNSHARE:
        return False
    probe = subprocess.run(  # noqa: S603
        [UNSHARE, "--user", "--map-root-user", "--mount", "sh", "-c", "mount -t tmpfs t /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="unshare/tmpfs nicht verfügbar")
def test_backup_onto_a_real_tiny_disk(tmp_path):
    """`kryptowelt backup` in a private mount namespace onto a 256 KiB tmpfs: a database
    that fits and media that do not (hand-made: one table, 1 MiB of random bytes)."""
    database = tmp_path / "klein.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("create table notiz (text)")
        connection.execute("insert into notiz values ('synthetisch')")
    connection.close()
    media = tmp_path / "media"
    media.mkdir()
    (media / "gross.bin").write_bytes(os.urandom(1 << 20))
    disk = tmp_path / "disk"
    disk.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kryptowelt.settings.dev",
        "KRYPTOWELT_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(media),
    }
    (tmp_path / "var").mkdir()
    script = (
        'mount -t tmpfs -o size=256k tmpfs "$1" && { "$2" backup "$1/sicherung"; '
        'echo "status=$?"; echo "inhalt=[$(ls -A "$1")]"; }'
    )
    kryptowelt = str(Path(settings.BASE_DIR) / ".venv" / "bin" / "kryptowelt")
    result = subprocess.run(  # noqa: S603
        [
            UNSHARE,
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            script,
            "sh",
            str(disk),
            kryptowelt,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert "status=1" in result.stdout, result.stderr
    assert "inhalt=[]" in result.stdout
    assert "Kein Platz mehr auf dem Datenträger" in result.stderr
    assert "Traceback" not in result.stderr
