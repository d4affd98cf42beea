"""The production settings: nothing secret in code, clear errors, `check --deploy` clean."""

import os
import subprocess
import sys

from django.conf import settings

ENV = {
    "SECRET_KEY": "t8Kq2vN5xR7wZ1bL4mP9sD3fG6hJ0cY8uE2aQ5iO7kT1nB4vX9zW3rM6pS0dF",
    "ALLOWED_HOSTS": "www.kryptowelt.example",
    "SITE_URL": "https://www.kryptowelt.example",
    "DATABASE_URL": "sqlite:////tmp/kryptowelt-production-check.sqlite3",
    "CACHE_URL": "locmemcache://production-check",
}


def _run(code: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ENV and k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**clean, **env, "KRYPTOWELT_VAR_DIR": str(settings.MEDIA_ROOT)},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_each_missing_setting_stops_the_start_with_its_name(tmp_path):
    code = """
import importlib, os, sys
from django.core.exceptions import ImproperlyConfigured
names = ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "CACHE_URL"]
full = {name: os.environ[name] for name in names}
for name in names:
    for other, value in full.items():
        os.environ[other] = value
    del os.environ[name]
    sys.modules.pop("kryptowelt.settings.production", None)
    try:
        importlib.import_module("kryptowelt.settings.production")
    except ImproperlyConfigured as error:
        print(error)
    else:
        print("OHNE FEHLER", name)
"""
    result = _run(code, ENV)
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0, result.stderr
    assert len(lines) == 5, lines
    for line, name in zip(lines, ENV, strict=True):
        assert line.startswith(f"Umgebungsvariable {name} fehlt"), line


def test_short_secret_key_is_refused():
    result = _run("import kryptowelt.settings.production", {**ENV, "SECRET_KEY": "kurz"})
    assert result.returncode != 0
    assert "SECRET_KEY ist zu kurz" in result.stderr


def test_check_deploy_reports_no_issues():
    result = _run(
        "from kryptowelt.cli import main; import sys; "
        "sys.argv = ['kryptowelt', 'check', '--deploy', '--fail-level', 'WARNING']; main()",
        {**ENV, "DJANGO_SETTINGS_MODULE": "kryptowelt.settings.production"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
