"""Test support: the real public data in `../shared/` beside the repository (README, "Tests").

Tests that replay it fail with a clear message when it is missing instead of skipping:
`make test` always runs with `../shared` in place, and a silent skip would hide a broken
checkout. `KRYPTOWELT_SHARED_DIR` points elsewhere if needed."""

import os
from pathlib import Path

import pytest

SHARED_DIR = Path(
    os.environ.get("KRYPTOWELT_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared")
)


def shared_path(*parts: str) -> Path:
    """A file or folder under ../shared, e.g. shared_path("data", "prices")."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.fail(
            f"{path} fehlt: die Tests lesen die gemeinsamen Daten aus ../shared neben dem "
            "Repository (oder KRYPTOWELT_SHARED_DIR)."
        )
    return path
