"""Server render time and database queries per page, on the demo content.

Run with `make bench-pages` (loads the demo into a throwaway database first). Prints, for
each page, the median and p95 render time over N warm requests through Django's test
client (no network, no proxy) and the number of SQL queries of one warm request."""

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kryptowelt.settings.dev")
os.environ.setdefault("KRYPTOWELT_VAR_DIR", tempfile.mkdtemp(prefix="kw-bench-"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def main() -> int:
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from kryptowelt.news.models import ArticlePage

    article = ArticlePage.objects.live().order_by("-first_published_at").first()
    pages = {
        "home": "/",
        "section": "/neuigkeiten/",
        "article": article.url,
        "tag": "/thema/bitcoin/",
        "search": "/suche/?q=B%C3%B6rse",
        "feed": "/feeds/rss/",
        "sitemap": "/sitemap.xml",
    }
    client = Client()
    print(f"{'page':10} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages.items():
        client.get(url)  # warm caches and renditions
        timings = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(
            f"{name:10} {response.status_code:>6} {statistics.median(timings):>8.1f} "
            f"{p95:>8.1f} {len(queries):>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
