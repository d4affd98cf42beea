"""Speed of the calculators' maths, against the targets of the Gewinne pillar.

Run with `make bench-calculators`. Prints, for each case, the median and the fastest of
several runs in milliseconds and whether the median meets the target:

- Sparplan: 10 years of weekly buys (522 purchases over ~3,650 daily closes), backtest
  plus both SVG renderings of the chart, as the page computes them. Target: < 50 ms.
- Tax: 100,000 transactions in our CSV format (buys, sales, swaps, staking over five coins
  and six years) read from bytes, matched FIFO and summed per year; then the CSV report.
  Target: < 5 s for reading and calculating.

The Sparplan case runs on the real BTC/EUR history `prices/btc-eur-daily.csv` of the shared
data directory: `--data DIR`, else the environment variable KRYPTOWELT_DATA_DIR, else
../shared/data beside the repository. Without that file the script says so and exits with
status 2. The tax case generates its transactions itself."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kryptowelt.calculators import presenters  # noqa: E402
from kryptowelt.calculators.sparplan.backtest import sparplan_backtest  # noqa: E402
from kryptowelt.calculators.sparplan.results import Fees  # noqa: E402
from kryptowelt.calculators.tax.report import tax_report  # noqa: E402
from kryptowelt.calculators.tax_export import report_csv  # noqa: E402
from kryptowelt.calculators.tax_import.reader import parse_upload  # noqa: E402

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPOSITORY.parent / "shared" / "data"
PRICES = Path("prices") / "btc-eur-daily.csv"
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
TAX_RUNS = int(os.environ.get("BENCH_TAX_RUNS", "3"))


def _data_dir(argv: list[str] | None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="Datenverzeichnis mit prices/btc-eur-daily.csv (sonst KRYPTOWELT_DATA_DIR, "
        "sonst ../shared/data neben dem Repository)",
    )
    args = parser.parse_args(argv)
    if args.data is not None:
        return args.data
    return Path(os.environ.get("KRYPTOWELT_DATA_DIR") or DEFAULT_DATA_DIR)


def _series(path: Path):
    with path.open(encoding="utf-8") as handle:
        rows = [
            (dt.date.fromisoformat(r["date"]), Decimal(r["close"])) for r in csv.DictReader(handle)
        ]
    return rows, f"{path.name} ({len(rows)} Tage)"


def _time(function, runs):
    """(median wall ms, fastest wall ms, median CPU ms). CPU time is what the process itself
    used; on a busy machine wall time also counts waiting for a core."""
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(timings), min(timings), statistics.median(cpu)


def _tax_csv(count: int) -> bytes:
    """`count` plausible transactions: mostly buys and sales, some swaps and staking."""
    rnd = random.Random(23)
    coins = {"BTC": 30000.0, "ETH": 2000.0, "SOL": 80.0, "ADA": 0.5, "DOT": 7.0}
    held = dict.fromkeys(coins, 0.0)
    start = dt.datetime(2019, 1, 1, 8)
    lines = ["Datum;Typ;Coin;Menge;Preis_EUR;Gebuehr_EUR;Ziel_Coin;Ziel_Menge"]
    for i in range(count):
        when = start + dt.timedelta(minutes=i * 30)  # ~5.7 years for 100,000 rows
        coin = rnd.choice(list(coins))
        coins[coin] *= math.exp(rnd.gauss(0, 0.01))
        price = coins[coin]
        kind = rnd.choices(["Kauf", "Verkauf", "Tausch", "Staking"], [50, 35, 10, 5])[0]
        amount = round(rnd.uniform(10, 500) / price, 6) or 0.000001
        stamp = when.strftime("%d.%m.%Y %H:%M")
        if kind in {"Verkauf", "Tausch"}:
            amount = round(min(amount, held[coin] * 0.5), 6)
            if amount <= 0:
                kind, amount = "Kauf", round(rnd.uniform(10, 500) / price, 6)
        if kind == "Kauf":
            held[coin] += amount
            lines.append(f"{stamp};Kauf;{coin};{_de(amount)};{_de(price)};0,5;;")
        elif kind == "Staking":
            held[coin] += amount / 100
            lines.append(f"{stamp};Staking;{coin};{_de(amount / 100)};{_de(price)};;;")
        elif kind == "Verkauf":
            held[coin] -= amount
            lines.append(f"{stamp};Verkauf;{coin};{_de(amount)};{_de(price)};0,5;;")
        else:
            target = rnd.choice([c for c in coins if c != coin])
            received = round(amount * price / coins[target], 6) or 0.000001
            held[coin] -= amount
            held[target] += received
            lines.append(
                f"{stamp};Tausch;{coin};{_de(amount)};{_de(price)};0,5;{target};{_de(received)}"
            )
    return "\n".join(lines).encode("utf-8")


def _de(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")


def main(argv: list[str] | None = None) -> int:
    prices = _data_dir(argv) / PRICES
    if not prices.is_file():
        print(
            f"Kursdatei fehlt: {prices}\n"
            f"Bitte das Datenverzeichnis angeben, das {PRICES} enthält:\n"
            "  python benchmarks/calculators.py --data /pfad/zu/shared/data\n"
            "  oder: KRYPTOWELT_DATA_DIR=/pfad/zu/shared/data make bench-calculators",
            file=sys.stderr,
        )
        return 2
    series, source = _series(prices)
    end = series[-1][0]
    start = dt.date(end.year - 10, end.month, min(end.day, 28))

    def sparplan():
        result = sparplan_backtest(
            series=series,
            amount=Decimal(25),
            interval="woechentlich",
            start=start,
            end=end,
            fees=Fees(percent=Decimal("1.0")),
        )
        presenters.sparplan_charts(result, coin_name="Bitcoin")
        return result

    result = sparplan()
    median, best, cpu = _time(sparplan, RUNS)
    ok = "ja" if median < 50 else "NEIN"
    print(f"Last (1 min): {os.getloadavg()[0]:.1f} auf {os.cpu_count()} Kernen")
    print(f"Sparplan, 10 Jahre wöchentlich ({len(result.purchases)} Käufe, {source})")
    print(
        f"  Rückrechnung + Diagramm: Median {median:.1f} ms, bestes {best:.1f} ms, "
        f"CPU {cpu:.1f} ms – Ziel < 50 ms: {ok}"
    )

    data = _tax_csv(100_000)
    today = dt.date.today()

    def tax():
        parsed = parse_upload(data)
        return parsed, tax_report(transactions=parsed.transactions, today=today)

    parsed, report = tax()
    disposals = sum(len(y.disposals) for y in report.years)
    median, best, cpu = _time(tax, TAX_RUNS)
    ok = "ja" if median < 5000 else "NEIN"
    print(
        f"Steuer, {len(parsed.transactions):_} Transaktionen ({len(data) / 1e6:.1f} MB CSV, "
        f"{disposals:_} Veräußerungen, {len(report.years)} Jahre)".replace("_", ".")
    )
    print(
        f"  Einlesen + FIFO + Jahre: Median {median:.0f} ms, bestes {best:.0f} ms, "
        f"CPU {cpu:.0f} ms – Ziel < 5000 ms: {ok}"
    )
    median, best, cpu = _time(lambda: report_csv(report), TAX_RUNS)
    print(f"  CSV-Bericht erzeugen: Median {median:.0f} ms, bestes {best:.0f} ms, CPU {cpu:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
