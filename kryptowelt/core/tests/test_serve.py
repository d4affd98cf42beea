"""`kryptowelt serve` (make run) restarts a background process that ends, with back-off."""

import io
import sys
import time

from kryptowelt.core.management.commands import serve


def test_a_background_process_that_ends_is_started_again_with_back_off(monkeypatch):
    monkeypatch.setattr(serve, "RESTART_DELAY_SECONDS", 0.05)
    process = serve.Background("Der Worker", [sys.executable, "-c", "raise SystemExit(3)"])
    process.start()
    first = process.process
    first.wait(timeout=30)
    out = io.StringIO()

    process.check(out)  # notices the end, waits before starting again
    assert process.process is None
    assert "Der Worker hat sich beendet (Status 3)" in out.getvalue()
    time.sleep(0.1)
    process.check(out)
    assert process.process is not None and process.process is not first
    process.process.wait(timeout=30)
    process.check(out)
    assert process.delay == 0.1  # ended again at once: twice the pause
