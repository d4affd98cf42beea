"""One long-lived process that runs `kryptowelt sync_markets` on request, as the scheduler
does in production (`kryptowelt scheduler` imports Django once and syncs every 5 minutes).

Used by http_load.py: each line on stdin starts one sync; the answer is one line,
``ok <wall seconds> <CPU seconds>`` or ``failed <reason>``. Starting a fresh `kryptowelt`
process per sync would add Django's and Wagtail's start-up (several seconds of CPU) to
every sync, which production does not pay.
"""

import io
import sys
import time

import django
from django.core.management import call_command
from django.core.management.base import CommandError


def main() -> None:
    django.setup()
    for _ in sys.stdin:
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            call_command("sync_markets", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
        except CommandError as exc:
            reason = " ".join(str(exc).split())
            print(f"failed {reason}", flush=True)
            continue
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        print(f"ok {wall:.3f} {cpu:.3f}", flush=True)


if __name__ == "__main__":
    main()
