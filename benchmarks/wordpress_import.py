"""WordPress import: figures and the check against expected-a.json (`make bench-import`).

    python benchmarks/wordpress_import.py            # shared export + 10,000 generated posts
    python benchmarks/wordpress_import.py --check    # shared export only, then verify it
    python benchmarks/wordpress_import.py --posts 2000

Reads the real export from $KRYPTOWELT_DATA_DIR/wordpress (default ../shared/data). Each
import runs in a child process on a fresh copy of a freshly migrated SQLite database, with
the production task backend (tasks are queued, not run) and DEBUG off, and reports wall
time, CPU time, posts per second and the resident memory sampled as the import proceeds
(it must not grow with the file). The check (`--check`, also run before the figures)
exits 1 when the import does not reproduce expected-a.json: counts, the five sample
posts, every old URL answering 301 to a live page (or 404 when not public), no script,
event handler or javascript: link on any imported page, and a second run changing nothing.

Goals (issue 18): 300 posts with media < 60 s; 10,000 posts < 15 min, memory flat."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def data_dir() -> Path:
    return Path(os.environ.get("KRYPTOWELT_DATA_DIR") or ROOT.parent / "shared" / "data")


def child_env(var_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "KRYPTOWELT_VAR_DIR": str(var_dir),
            "MEDIA_ROOT": str(var_dir / "media"),
            "DJANGO_SETTINGS_MODULE": "kryptowelt.settings.dev",
            "LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def run_child(args: list[str], var_dir: Path) -> dict:
    result = subprocess.run(  # noqa: S603 - our own script
        [PYTHON, str(ROOT / "benchmarks" / "wordpress_child.py"), *args],
        env=child_env(var_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-5000:])
        raise SystemExit(f"Kindprozess fehlgeschlagen: {' '.join(args[:2])}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def fresh_site(template: Path, name: str) -> Path:
    var_dir = template.parent / name
    var_dir.mkdir()
    shutil.copy(template / "kryptowelt.sqlite3", var_dir / "kryptowelt.sqlite3")
    shutil.copy(template / "secret_key", var_dir / "secret_key")
    return var_dir


def figures(label: str, run: dict) -> None:
    samples = ", ".join(f"{mb:.0f}" for mb in run["rss_samples_mb"])
    print(
        f"{label}: {run['posts']} Beiträge in {run['seconds']:.1f} s "
        f"(CPU {run['cpu_seconds']:.1f} s), {run['posts'] / run['seconds']:.1f} Beiträge/s, "
        f"Spitze {run['peak_mb']:.0f} MB; Speicher im Verlauf (MB): {samples}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="nur den echten Export prüfen")
    parser.add_argument("--posts", type=int, default=10_000, help="Beiträge im erzeugten Export")
    arguments = parser.parse_args()
    export = data_dir() / "wordpress" / "kryptoblog-a.wxr.xml"
    uploads = data_dir() / "wordpress" / "kryptoblog-a-uploads"
    expected = data_dir() / "wordpress" / "expected-a.json"
    if not export.is_file() or not expected.is_file():
        print(
            f"WordPress-Export nicht gefunden: {export.parent} fehlt oder ist unvollständig. "
            "KRYPTOWELT_DATA_DIR auf den Datenordner setzen, der wordpress/ enthält "
            "(ohne Angabe: ../shared/data neben dem Repository).",
            file=sys.stderr,
        )
        return 2
    work = Path(tempfile.mkdtemp(prefix="kw-bench-wordpress-"))
    try:
        template = work / "template"
        template.mkdir()
        started = time.monotonic()
        run_child(["setup"], template)
        print(f"Leere Website angelegt ({time.monotonic() - started:.0f} s).")
        site = fresh_site(template, "shared")
        first = run_child(["import", str(export), str(uploads), "--verify", str(expected)], site)
        figures("Echter Export (300 Beiträge, mit Medien)", first)
        for line in first["check"]["lines"]:
            print("  " + line)
        second = first["second_run"]
        print(f"Zweiter Lauf: {second['seconds']:.1f} s, geändert: {second['changed'] or 'nichts'}")
        ok = first["check"]["ok"] and not second["changed"]
        if arguments.check:
            print("Prüfung bestanden." if ok else "Prüfung NICHT bestanden.")
            return 0 if ok else 1
        generated = work / "generated.xml"
        generated_uploads = work / "generated-uploads"
        subprocess.run(  # noqa: S603 - our own script
            [PYTHON, str(ROOT / "benchmarks" / "wxr_generate.py"), str(generated),
             str(generated_uploads), "--posts", str(arguments.posts)],
            check=True,
        )  # fmt: skip
        size_mb = generated.stat().st_size / 1_000_000
        print(f"Erzeugter Export: {arguments.posts} Beiträge, {size_mb:.0f} MB")
        big = run_child(
            ["import", str(generated), str(generated_uploads)], fresh_site(template, "big")
        )
        figures(f"Erzeugter Export ({arguments.posts} Beiträge)", big)
        print("Prüfung bestanden." if ok else "Prüfung NICHT bestanden.")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
