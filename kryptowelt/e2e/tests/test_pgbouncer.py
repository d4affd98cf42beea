"""pgbouncer in transaction pooling mode between the app and PostgreSQL (docs/runbook.md,
"pgbouncer"): with `DATABASE_POOLER=pgbouncer` the app migrates, builds a small site, serves
an article page and runs `related_rebuild` (which reads the articles with `.iterator()`)
through it; without the setting that command breaks, because the server-side cursor that
`.iterator()` declares in one transaction is looked for on another server connection.

pgbouncer resets every server connection after each transaction here
(`server_reset_query_always`), so the test sees on every run what busy production clients meet
by chance (the next transaction runs on a connection without the cursor); a PostgreSQL cluster
and pgbouncer of their own (scripts/pg-test-cluster.sh, scripts/pgbouncer-test.sh) on free
ports."""

import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.stack]

ROOT = Path(settings.BASE_DIR)
SITE = """
from django.test import Client
from kryptowelt.home.factories import site_create
from kryptowelt.news.factories import article_make

site_create()
articles = [
    article_make(title=f"Bitcoin-Halving Nummer {n}: was Anleger wissen sollten", tags=("Bitcoin",))
    for n in range(1, 4)
]
answer = Client(HTTP_HOST="127.0.0.1").get(articles[0].url)
print("SEITE", answer.status_code, articles[0].title in answer.content.decode())
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _script(*args: str, env: dict | None = None) -> str:
    result = subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def through_pgbouncer():
    """The DATABASE_URL of a fresh PostgreSQL database behind pgbouncer (transaction mode)."""
    # Folders of their own in /tmp: the postgres user (both run as it under root) must reach them.
    pg_dir, bouncer_dir = (tempfile.mkdtemp(prefix=f"kryptowelt-{n}-") for n in ("pg", "pgb"))
    pg_port = _free_port()
    try:
        _script("pg-test-cluster.sh", "start", pg_dir, env={"PG_TEST_PORT": str(pg_port)})
        url = _script(
            "pgbouncer-test.sh",
            "start",
            bouncer_dir,
            str(pg_port),
            env={"PGBOUNCER_RESET_ALWAYS": "1"},
        )
        yield url
    finally:
        subprocess.run([str(ROOT / "scripts/pgbouncer-test.sh"), "stop", bouncer_dir], check=False)  # noqa: S603
        subprocess.run([str(ROOT / "scripts/pg-test-cluster.sh"), "stop", pg_dir], check=False)  # noqa: S603


def _kryptowelt(url: str, tmp: Path, *args: str, pooler: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))},
        # The embedded settings (no collected static files needed), the database through pgbouncer.
        "DJANGO_SETTINGS_MODULE": "kryptowelt.settings.dev",
        "SECRET_KEY": "pgbouncer-test-only-" * 4,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": url,
        "DATABASE_POOLER": pooler,
        "CACHE_URL": "locmemcache://pgbouncer-test",
        "KRYPTOWELT_VAR_DIR": str(tmp),
        "TQDM_DISABLE": "1",
    }
    return subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "kryptowelt"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_the_app_works_through_pgbouncer_in_transaction_mode_only_with_the_setting(
    through_pgbouncer, tmp_path
):
    started = time.monotonic()
    migrate = _kryptowelt(through_pgbouncer, tmp_path, "migrate", "--noinput", pooler="pgbouncer")
    assert migrate.returncode == 0, migrate.stderr[-3000:]

    # A small site and an article page, rendered through pgbouncer.
    site = _kryptowelt(through_pgbouncer, tmp_path, "shell", "-c", SITE, pooler="pgbouncer")
    assert site.returncode == 0, site.stderr[-3000:]
    assert "SEITE 200 True" in site.stdout, site.stdout[-2000:]

    # A command that reads with .iterator(): fine with the setting…
    rebuild = _kryptowelt(through_pgbouncer, tmp_path, "related_rebuild", pooler="pgbouncer")
    assert rebuild.returncode == 0, rebuild.stderr[-3000:]
    assert "3 Artikel neu berechnet" in rebuild.stdout

    # …and broken without it: the cursor declared in one transaction is not on the server
    # connection the next FETCH is given.
    broken = _kryptowelt(through_pgbouncer, tmp_path, "related_rebuild", pooler="")
    assert broken.returncode != 0
    assert "cursor" in broken.stderr and "does not exist" in broken.stderr, broken.stderr[-3000:]
    print(f"pgbouncer-Test: {time.monotonic() - started:.0f} s")  # noqa: T201
