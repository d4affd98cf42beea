"""Speed of the comparison pages and the fee model.

Run after `kryptowelt demo` (reads the demo database, writes nothing):

    .venv/bin/python benchmarks/comparisons.py

Prints, per page, the median and 95th percentile response time over N requests through
Django's test client (no network, no caches in front) and the number of SQL queries, then
the throughput of the pure fee model."""

import os
import statistics
import sys
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kryptowelt.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kryptowelt.comparisons import fees  # noqa: E402
from kryptowelt.comparisons.models import Provider  # noqa: E402

PAGES = [
    "/vergleich/",
    "/vergleich/krypto-boersen/",
    "/vergleich/krypto-boersen/?eu=1&sortierung=kosten",
    "/vergleich/wallets/",
    "/vergleich/sparplaene/",
    "/vergleich/staking/",
    "/vergleich/anbieter/kraken/",
    "/vergleich/gegenueberstellung/?anbieter=kraken,bitvavo,bitpanda,ledger",
    "/vergleich/kostenrechner/?betrag=1000&coin=bitcoin&intervall=einmalig",
    "/vergleich/kostenrechner/?betrag=100&coin=bitcoin&intervall=monatlich&dauer=120",
    "/vergleich/methodik/?gewicht_kosten=80",
]
ROUNDS = int(os.environ.get("ROUNDS", "30"))


def main() -> int:
    if not Provider.objects.live().exists():
        print("Keine Anbieter in der Datenbank – zuerst `kryptowelt demo` ausführen.")
        return 1
    client = Client(HTTP_HOST="localhost")
    print(f"{Provider.objects.live().count()} Anbieter, {ROUNDS} Abrufe je Seite")
    print(f"{'Seite':<78} {'Median':>8} {'p95':>8} {'SQL':>5}")
    for url in PAGES:
        client.get(url)  # warm up templates
        timings = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{url:<78} {statistics.median(timings):>6.1f}ms {p95:>6.1f}ms {len(queries):>5}")

    schedule = fees.FeeSchedule(
        pricing=fees.BROKER,
        commission_pct=Decimal("0.5"),
        spread_pct=Decimal("1.49"),
        fixed_eur=Decimal(1),
        deposits={"sepa": (Decimal(0), Decimal(0))},
    )
    order = fees.Order(amount=Decimal("1234.56"), interval=fees.MONTHLY, months=24)
    count = 20_000
    start = time.perf_counter()
    for _ in range(count):
        fees.order_cost(schedule=schedule, order=order)
    elapsed = time.perf_counter() - start
    print(f"Gebührenmodell: {count / elapsed:,.0f} Berechnungen/s".replace(",", "."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
