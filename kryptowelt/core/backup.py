"""Backups of the database and the uploaded media, for SQLite and PostgreSQL.

A backup is a folder:

    manifest.json       what is inside, with SHA-256 checksums (checked before restoring)
    database.sqlite3    SQLite: a consistent copy made with SQLite's online backup API
    database.pgdump     PostgreSQL: `pg_dump --format=custom`
    media.tar           every file under MEDIA_ROOT

Native tools rather than `dumpdata`: they copy everything (tree paths, sequences, search
index tables) exactly and fast. A backup restores into the same kind of database.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
FORMAT_VERSION = 1
MEDIA_FOLDER_MODE = 0o755


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the operator (German)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Datenbank {vendor!r} wird nicht unterstützt (nur SQLite, PostgreSQL).")
    return vendor


def _pg_env(alias: str = "default") -> tuple[list[str], dict]:
    """Connection arguments for pg_dump/pg_restore; the password goes through the environment."""
    db = connections[alias].settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} fehlt – bitte das Debian-Paket postgresql-client installieren."
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} ist fehlgeschlagen: {result.stderr.strip()[-2000:]}")


SQLITE_LOCK_WAIT_SECONDS = 60


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """SQLite's online backup; Python retries a locked database forever, so give up after a
    minute with a clear message instead."""
    import time

    deadline = time.monotonic() + SQLITE_LOCK_WAIT_SECONDS

    def progress(status, remaining, total):
        if time.monotonic() > deadline:
            raise BackupError(
                "Die Datenbank ist seit einer Minute gesperrt (eine lange Schreibaktion?); "
                "bitte später noch einmal versuchen."
            )

    if target.in_transaction:
        raise BackupError("Zurückspielen innerhalb einer offenen Transaktion ist nicht möglich.")
    source.backup(target, pages=1024, progress=progress)


def database_backup(*, target: Path, alias: str = "default") -> str:
    engine = _engine(alias)
    connection = connections[alias]
    if engine == "sqlite":
        path = target / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as destination:
            _sqlite_copy(connection.connection, destination)
        destination.close()
        return path.name
    path = target / "database.pgdump"
    args, env = _pg_env(alias)
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", "--file", str(path), *args], env)
    return path.name


def database_restore(*, source: Path, alias: str = "default") -> None:
    engine = _engine(alias)
    connection = connections[alias]
    if engine == "sqlite":
        connection.close()
        connection.ensure_connection()
        with sqlite3.connect(source) as backup:
            _sqlite_copy(backup, connection.connection)
        backup.close()
        return
    connection.close()
    args, env = _pg_env(alias)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(source),
        ],
        env,
    )


def media_backup(*, target: Path) -> str:
    media_root = Path(settings.MEDIA_ROOT)
    path = target / MEDIA_ARCHIVE
    with tarfile.open(path, "w") as archive:
        if media_root.exists():
            for item in sorted(media_root.rglob("*")):
                archive.add(item, arcname=str(item.relative_to(media_root)), recursive=False)
    return path.name


def media_restore(*, source: Path) -> None:
    """Replace MEDIA_ROOT by the archive's content (files added since the backup go away).

    The files stay readable for a web server running as another user (nginx serves
    /media/ directly): the media folder gets `FILE_UPLOAD_DIRECTORY_PERMISSIONS` (0755 when
    unset, what uploads give the folders they create), files and subfolders keep the modes
    stored in the backup, without write access for group and others."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        with tarfile.open(source) as archive:
            archive.extractall(staging, filter="data")
        # mkdtemp made it 0700: a web server of another user would read nothing below it.
        staging.chmod(settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or MEDIA_FOLDER_MODE)
        if media_root.exists():
            old = media_root.with_name(media_root.name + ".vor-wiederherstellung")
            shutil.rmtree(old, ignore_errors=True)
            media_root.rename(old)
            staging.rename(media_root)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def backup_create(*, target: Path, alias: str = "default") -> dict:
    """Write a backup of the database and the media into the folder `target`.

    Everything is written into a hidden folder beside `target`, which is renamed to
    `target` only when it is complete: a full disk, a failing pg_dump or Ctrl+C leave no
    half-written backup that looks like a good one. The folder is readable by its owner
    only (it holds the database, password hashes included)."""
    target = Path(target)
    if (target / MANIFEST).exists():
        raise BackupError(f"In {target} liegt schon eine Sicherung; bitte einen neuen Ordner.")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} ist nicht leer; bitte einen neuen oder leeren Ordner angeben.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.unfertig-", dir=target.parent))
    except OSError as exc:
        raise BackupError(_write_error(target, exc)) from exc
    try:
        files = [database_backup(target=staging, alias=alias), media_backup(target=staging)]
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": _engine(alias),
            "files": {name: _sha256(staging / name) for name in files},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        if target.exists():
            target.rmdir()  # empty, checked above
        staging.rename(target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(_write_error(target, exc)) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _write_error(target: Path, exc: Exception) -> str:
    full = getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in str(exc)
    if full:
        return (
            f"Kein Platz mehr auf dem Datenträger von {target}: die Sicherung wurde abgebrochen, "
            "nichts davon ist liegen geblieben. Bitte Platz schaffen oder einen anderen Ordner "
            "angeben."
        )
    reason = getattr(exc, "strerror", None) or str(exc)
    return (
        f"Die Sicherung nach {target} ist fehlgeschlagen ({reason}); nichts davon ist liegen "
        "geblieben."
    )


def backup_read(*, source: Path) -> dict:
    """The manifest of the backup in `source`, after checking every file against it."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{source} enthält keine Sicherung ({MANIFEST} fehlt).") from exc
    except json.JSONDecodeError as exc:
        raise BackupError(f"{source / MANIFEST} ist beschädigt.") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError("Diese Sicherung hat ein unbekanntes Format.")
    for name, checksum in manifest["files"].items():
        path = source / name
        if not path.exists() or _sha256(path) != checksum:
            raise BackupError(f"{path} fehlt oder ist beschädigt (Prüfsumme stimmt nicht).")
    return manifest


def backup_restore(*, source: Path, alias: str = "default") -> dict:
    """Replace the database and the media by the backup in `source`."""
    source = Path(source)
    manifest = backup_read(source=source)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(
            f"Die Sicherung stammt aus {manifest['engine']}, die Datenbank ist {engine}; "
            "eine Sicherung lässt sich nur in dieselbe Art von Datenbank zurückspielen."
        )
    database_file = next(name for name in manifest["files"] if name.startswith("database."))
    database_restore(source=source / database_file, alias=alias)
    media_restore(source=source / MEDIA_ARCHIVE)
    return manifest
