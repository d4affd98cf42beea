"""Queries and server render time per request for the main page types (`make bench-http`).

Runs in-process with Django's test client against a throwaway SQLite database of its own
(a temporary folder, migrated and filled by `kryptowelt demo`), so that it needs nothing made
before and leaves the developer's var/ alone: "kalt" = every cache emptied before each
request, "warm" = fragment caches filled (what the uncached figure in http_load.py measures);
the whole-page cache is off throughout."""

import os
import shutil
import statistics
import tempfile
import time

WORK = tempfile.mkdtemp(prefix="kw-bench-queries-")
os.environ["KRYPTOWELT_VAR_DIR"] = WORK
os.environ["MEDIA_ROOT"] = os.path.join(WORK, "media")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("LOG_LEVEL", "ERROR")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kryptowelt.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = {
    "Startseite": "/",
    "Rubrik": "/neuigkeiten/",
    "Artikel": "/neuigkeiten/bybit-hack-februar-2025/",
    "Suche": "/suche/?q=Bitcoin",
}
ROUNDS = 20


def measure(client: Client, url: str, *, cold: bool) -> tuple[int, float]:
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    timings = []
    for _ in range(ROUNDS):
        if cold:
            cache.clear()
        queries.clear()
        with connection.execute_wrapper(count):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return len(queries), statistics.median(timings)


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", verbosity=0)
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    print("| Seite | Abfragen kalt | Renderzeit kalt | Abfragen warm | Renderzeit warm |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, url in PAGES.items():
        client.get(url)
        cold_queries, cold_ms = measure(client, url, cold=True)
        warm_queries, warm_ms = measure(client, url, cold=False)
        print(f"| {name} | {cold_queries} | {cold_ms:.1f} ms | {warm_queries} | {warm_ms:.1f} ms |")
    print(f"\n(Median aus {ROUNDS} Anfragen je Spalte, Load-Average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
