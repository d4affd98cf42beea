"""Kurse & Trends benchmarks (run with `make bench-markets`). Prints figures; asserts nothing.

Targets (issue 5, 2 cores): sync of 250 coins from a recorded response into the database
< 2 s; /kurse/ server time < 50 ms; a coin page with 10 years of daily history < 80 ms and
its SVG chart < 30 KB.

Uses a throwaway SQLite database and media folder under a temporary directory.
"""

import copy
import datetime as dt
import math
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="kw-bench-markets-"))
os.environ["KRYPTOWELT_VAR_DIR"] = str(WORK)
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ["DJANGO_SETTINGS_MODULE"] = "kryptowelt.settings.dev"
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from kryptowelt.markets.models import Coin, PricePoint  # noqa: E402
from kryptowelt.markets.services.history import price_points_append  # noqa: E402
from kryptowelt.markets.services.state import markets_generation_bump  # noqa: E402
from kryptowelt.markets.services.sync import coin_markets_sync  # noqa: E402
from kryptowelt.markets.tests.fakes import FakeCoinGecko, make_client, payload  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
settings.DEBUG = False


def recorded_top_250() -> list[dict]:
    """The recorded six-coin answer, repeated with distinct ids into CoinGecko's 250."""
    template = payload("coins_markets_eur.json")
    entries = []
    for index in range(250):
        entry = copy.deepcopy(template[index % len(template)])
        if index >= len(template):
            entry["id"] = f"{entry['id']}-{index}"
            entry["symbol"] = f"{entry['symbol']}{index}"
            entry["name"] = f"{entry['name']} {index}"
        entry["market_cap_rank"] = index + 1
        entry["current_price"] = round(entry["current_price"] * (1 + index / 500), 8)
        entries.append(entry)
    return entries


CPU: dict[str, list[float]] = {}


def timed(func, repeat=1, label=""):
    """Wall-clock times; CPU times of this process are kept in CPU[label] (the machine is
    shared, so wall time includes waiting for a core)."""
    times, cpu = [], []
    result = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[label] = cpu
    return result, times


def ms(values) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms"


def main():
    print(f"Datenbank: {WORK}")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - start:.1f} s (Vorbereitung, nicht gemessen)")

    # 1. Sync of 250 coins from a recorded response.
    api = FakeCoinGecko(**{"/coins/markets": [recorded_top_250()]})
    first, times = timed(
        lambda: coin_markets_sync(client=make_client(api), logos=False),
        label="first",
    )
    assert first.ok and first.stored == 250, first
    print(
        f"sync 250 Coins, erster Lauf (inkl. 250 erzeugter Logos): {ms(times)}, "
        f"CPU {ms(CPU['first'])} (Ziel < 2000 ms)"
    )
    again, times = timed(
        lambda: coin_markets_sync(client=make_client(api), logos=False),
        repeat=3,
        label="again",
    )
    assert again.ok and again.points_added == 0
    print(
        f"sync 250 Coins, erneuter Lauf (Median von 3): {ms(times)}, CPU {ms(CPU['again'])} "
        "(Ziel < 2000 ms)"
    )

    # 2. /kurse/ server time.
    client = Client()
    assert client.get("/kurse/").status_code == 200

    def uncached():
        markets_generation_bump()  # what every sync does
        return client.get("/kurse/")

    _, cold_times = timed(uncached, repeat=10, label="kurse-cold")
    _, warm_times = timed(lambda: client.get("/kurse/"), repeat=20, label="kurse-warm")
    print(
        f"/kurse/ (100 Zeilen mit Sparklines): erster Aufruf nach einem Abgleich "
        f"{ms(cold_times)} (CPU {ms(CPU['kurse-cold'])}), danach {ms(warm_times)} "
        f"(CPU {ms(CPU['kurse-warm'])}) (Ziel < 50 ms)"
    )

    # 3. A coin page with 10 years of daily history.
    coin = Coin.objects.get(coingecko_id="bitcoin")
    start_day = dt.date.today() - dt.timedelta(days=3652)
    points = [
        (
            dt.datetime.combine(start_day + dt.timedelta(days=i), dt.time(0), dt.UTC),
            Decimal(f"{400 * math.exp(i / 700) * (1 + 0.3 * math.sin(i / 40)):.2f}"),
            None,
            None,
        )
        for i in range(3653)
    ]
    price_points_append(coin=coin, currency="eur", points=points, source=PricePoint.SOURCE_IMPORT)
    markets_generation_bump()
    url = "/kurse/bitcoin/?zeitraum=max"
    response = client.get(url)
    html = response.content.decode()
    svg = html.split('<svg id="chart-bitcoin-max"')[1].split("</svg>")[0]
    print(f"SVG-Chart 10 Jahre (Max): {len(svg.encode()) / 1024:.1f} KB (Ziel < 30 KB)")

    def cold():
        cache.clear()
        return client.get(url)

    _, cold_times = timed(cold, repeat=10, label="coin-cold")
    _, warm_times = timed(lambda: client.get(url), repeat=20, label="coin-warm")
    print(
        f"Coin-Seite mit 10 Jahren Tageskursen (Max): ohne Cache {ms(cold_times)} "
        f"(CPU {ms(CPU['coin-cold'])}), mit Cache {ms(warm_times)} "
        f"(CPU {ms(CPU['coin-warm'])}) (Ziel < 80 ms)"
    )
    for range_key in ("24h", "7t", "1m", "1j"):

        def page(range_key=range_key):
            cache.clear()
            return client.get(f"/kurse/bitcoin/?zeitraum={range_key}")

        _, times = timed(page, repeat=5, label=range_key)
        print(f"  Zeitraum {range_key} ohne Cache: {ms(times)} (CPU {ms(CPU[range_key])})")
    print(f"Last des Rechners (1 min): {os.getloadavg()[0]:.1f} bei {os.cpu_count()} Kernen")


if __name__ == "__main__":
    main()
