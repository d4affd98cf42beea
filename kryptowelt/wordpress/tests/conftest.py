"""Fixtures of the WordPress import tests: the hand-made exports in fixtures/ and an
uploads folder generated here (small images, a PDF), and a helper that runs the command."""

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _tasks_queued_not_run(settings):
    """Publishing an imported page queues search, related-list and purge tasks; here they
    are queued and dropped (their own apps test them), which keeps these tests fast."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def site_export():
    return FIXTURES / "site.wxr.xml"


def _image_bytes(size, colour, kind) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def uploads(tmp_path):
    """A copy of wp-content/uploads as site.wxr.xml expects it; netz.webp is missing."""
    root = tmp_path / "uploads"
    (root / "2024" / "01").mkdir(parents=True)
    (root / "2024" / "02").mkdir(parents=True)
    (root / "2024/01/chart.png").write_bytes(_image_bytes((320, 180), (10, 60, 120), "PNG"))
    (root / "2024/01/chart-300x169.png").write_bytes(_image_bytes((300, 169), (10, 60, 120), "PNG"))
    coin = _image_bytes((200, 200), (220, 170, 40), "JPEG")
    (root / "2024/01/muenze.jpg").write_bytes(coin)
    (root / "2024/02/muenze.jpg").write_bytes(coin)  # uploaded twice in WordPress
    (root / "2024/02/whitepaper.pdf").write_bytes(b"%PDF-1.4\n% Testdokument\n%%EOF\n")
    return root


@dataclass
class Result:
    out: str
    err: str
    error: CommandError | None


def run_import(*args, verbosity=2) -> Result:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_wordpress",
            *[str(arg) for arg in args],
            stdout=out,
            stderr=err,
            verbosity=verbosity,
        )
        error = None
    except CommandError as exc:
        error = exc
    return Result(out.getvalue(), err.getvalue(), error)


@pytest.fixture
def imported(home, site_export, uploads):
    """The site export imported once, with its media."""
    result = run_import(site_export, "--media-dir", uploads)
    assert result.error is None, result.err
    return result
