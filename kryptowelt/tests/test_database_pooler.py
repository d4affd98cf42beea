"""DATABASE_POOLER=pgbouncer turns server-side cursors off (pgbouncer in transaction mode breaks
them, kryptowelt/e2e/tests/test_pgbouncer.py); a value it does not know stops the start with a
German message. The settings are imported in a fresh interpreter with the given environment."""

import os
import subprocess
import sys

import pytest

PRINT = (
    "from kryptowelt.settings import base; "
    "print(base.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS', False))"
)


def _settings(pooler: str, tmp_path) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")},
        "DATABASE_URL": "postgres://kryptowelt@127.0.0.1:5432/kryptowelt",
        "DATABASE_POOLER": pooler,
        "KRYPTOWELT_VAR_DIR": str(tmp_path),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRINT], env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(("pooler", "disabled"), [("", "False"), ("pgbouncer", "True")])
def test_pgbouncer_turns_server_side_cursors_off(tmp_path, pooler, disabled):
    result = _settings(pooler, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == disabled


def test_an_unknown_pooler_stops_the_start_with_a_german_message(tmp_path):
    result = _settings("pgpool", tmp_path)
    assert result.returncode != 0
    assert "DATABASE_POOLER='pgpool' ist unbekannt" in result.stderr
