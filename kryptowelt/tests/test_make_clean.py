"""`make clean` removes build output only and never the data in var/; `make clean-data`
removes the data and says first what it deletes. Run in a temporary copy of the Makefile with
hand-made stand-ins for the build output and the data."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_OUTPUT = [
    ".venv/bin/python",
    ".tools/bin/uv",
    ".ruff_cache/x",
    ".pytest_cache/x",
    "kryptowelt/news/__pycache__/models.cpython-311.pyc",
    "var/static/css/site.abc123.css",
    "var/nginx/cache/0/aa",
]
DATA = [
    "var/kryptowelt.sqlite3",
    "var/media/original_images/bitcoin.jpg",
    "var/secret_key",
    "var/log/worker.log",
]
SOURCE = ["kryptowelt/news/models.py"]


@pytest.fixture
def checkout(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for name in BUILD_OUTPUT + DATA + SOURCE:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("synthetic")
    return tmp_path


def _make(checkout: Path, target: str) -> str:
    result = subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", target],  # noqa: S607
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _present(checkout: Path, names: list[str]) -> list[str]:
    return [name for name in names if (checkout / name).exists()]


def test_make_clean_removes_build_output_and_keeps_the_data(checkout):
    _make(checkout, "clean")
    assert _present(checkout, BUILD_OUTPUT) == []
    assert not (checkout / ".venv").exists() and not (checkout / "var/static").exists()
    assert _present(checkout, DATA + SOURCE) == DATA + SOURCE


def test_make_clean_data_says_what_it_deletes_then_deletes_it(checkout):
    output = _make(checkout, "clean-data")
    for name in ("var/kryptowelt.sqlite3", "var/media", "var/log"):
        assert name in output, output
    assert output.index("Lösche") < output.index("Gelöscht")
    assert _present(checkout, DATA) == []
    assert _present(checkout, SOURCE + [".venv/bin/python"]) == SOURCE + [".venv/bin/python"]
    assert "Keine lokalen Daten" in _make(checkout, "clean-data")
