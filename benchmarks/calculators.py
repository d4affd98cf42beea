"""Speed of the calculators' maths, against the targets of the Gewinne pillar.

Run with `make bench-calculators`. Prints, for each case, the median and the fastest of
several runs in milliseconds and whether the median meets the target:

- Sparplan: 10 years of weekly buys (522 purchases over ~3,650 daily closes), backtest
  plus both SVG renderings of the chart, as the page computes them. Target: < 50 ms.
- Tax: 100,000 transactions in our CSV format (buys, sales, swaps, staking over five coins
  and six years) read from bytes, matched FIFO and summed per year; then the CSV report.
  Target: < 5 s for reading and calculating.
- Tax, four exchanges (issue 20): about 100,000 transactions over five years in the exports of
  Bitpanda, Binance, Kraken (ledgers) and Coinbase (`tax_exchanges.py`), read and merged,
  computed, and rendered (the result page's years, the CSV report and the "Steuerfrei ab"
  calendar); then the documentation pack (ZIP) on its own.
  Run in a fresh process, which reports its peak memory (RSS). Target: < 5 s and < 500 MB.

The Sparplan case runs on the real BTC/EUR history `prices/btc-eur-daily.csv` of the shared
data directory: `--data DIR`, else the environment variable KRYPTOWELT_DATA_DIR, else
../shared/data beside the repository. Without that file the script says so and exits with
status 2 (after the tax cases, which generate their transactions themselves)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import tax_exchanges  # noqa: E402

from kryptowelt.calculators import presenters  # noqa: E402
from kryptowelt.calculators.sparplan.backtest import sparplan_backtest  # noqa: E402
from kryptowelt.calculators.sparplan.results import Fees  # noqa: E402
from kryptowelt.calculators.tax.report import tax_report  # noqa: E402
from kryptowelt.calculators.tax.settings import TaxSettings  # noqa: E402
from kryptowelt.calculators.tax_docs.ics import tax_free_calendar  # noqa: E402
from kryptowelt.calculators.tax_docs.pack import UploadedFile, documentation_zip  # noqa: E402
from kryptowelt.calculators.tax_export import report_csv  # noqa: E402
from kryptowelt.calculators.tax_import.formats.own import transactions_to_csv  # noqa: E402
from kryptowelt.calculators.tax_import.merge import uploads_read  # noqa: E402
from kryptowelt.calculators.tax_import.reader import parse_upload  # noqa: E402

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPOSITORY.parent / "shared" / "data"
PRICES = Path("prices") / "btc-eur-daily.csv"
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
TAX_RUNS = int(os.environ.get("BENCH_TAX_RUNS", "3"))


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="Datenverzeichnis mit prices/btc-eur-daily.csv (sonst KRYPTOWELT_DATA_DIR, "
        "sonst ../shared/data neben dem Repository)",
    )
    parser.add_argument("--exchanges-child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _data_dir(args: argparse.Namespace) -> Path:
    if args.data is not None:
        return args.data
    return Path(os.environ.get("KRYPTOWELT_DATA_DIR") or DEFAULT_DATA_DIR)


EXCHANGE_EVENTS = int(os.environ.get("BENCH_EXCHANGE_EVENTS", "80000"))  # ≈ 100,000 transactions


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _exchanges_child() -> int:
    """The four-exchange case in this (fresh) process; prints one JSON line."""
    files, lookup = tax_exchanges.exports(EXCHANGE_EVENTS)
    before = _peak_rss_mb()
    stages: dict[str, list[tuple[float, float]]] = {}

    def measure(name, function):
        start, start_cpu = time.perf_counter(), time.process_time()
        value = function()
        stages.setdefault(name, []).append(
            (time.perf_counter() - start, time.process_time() - start_cpu)
        )
        return value

    today = dt.date(2026, 1, 1)
    for _ in range(TAX_RUNS):
        merged = measure(
            "read", lambda: uploads_read(files, settings=TaxSettings(), price_lookup=lookup)
        )
        report = measure(
            "compute", lambda m=merged: tax_report(transactions=m.transactions, today=today)
        )

        def render(r=report, m=merged):
            # What the result page computes (its years, the lots it lists), and the CSV
            # report and calendar downloads; the page hands the data back to the browser
            # only for up to 15,000 transactions (`tax_views`), so not here.
            presenters.tax_years(r, limit=300)
            report_csv(r)
            tax_free_calendar(r.lots, today=today, now=dt.datetime.now(dt.UTC))
            if len(m.transactions) <= 15_000:
                transactions_to_csv(m.transactions)

        measure("render", render)
        info = [
            UploadedFile(f.file, f.format_label, f.rows, len(f.transactions)) for f in merged.files
        ]
        pack = measure(
            "zip",
            lambda r=report, m=merged, i=info: documentation_zip(
                report=r,
                transactions=m.transactions,
                files=i,
                generated=dt.datetime(2026, 1, 1, 12),
                now_utc=dt.datetime.now(dt.UTC),
            ),
        )
    print(
        json.dumps(
            {
                "transactions": len(merged.transactions),
                "bytes": sum(len(data) for _, data in files),
                "rows": sum(f.rows for f in merged.files),
                "disposals": len(report.disposals),
                "years": len(report.years),
                "zip_bytes": len(pack),
                "stages": {
                    k: [statistics.median(w for w, _ in v), statistics.median(c for _, c in v)]
                    for k, v in stages.items()
                },
                "rss_before": before,
                "rss_peak": _peak_rss_mb(),
            }
        )
    )
    return 0


def _exchanges_case() -> None:
    """Runs `_exchanges_child` in a fresh process, so that its peak memory is its own."""
    script = Path(__file__).resolve()
    completed = subprocess.run(  # noqa: S603 - our own script, no reader input
        [sys.executable, str(script), "--exchanges-child"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    stages = data["stages"]
    core_wall = sum(stages[k][0] for k in ("read", "compute", "render"))
    core_cpu = sum(stages[k][1] for k in ("read", "compute", "render"))
    ok = "ja" if core_wall < 5 and data["rss_peak"] < 500 else "NEIN"
    print(
        f"Steuer, vier Börsen (Bitpanda, Binance, Kraken, Coinbase), 2020–2024: "
        f"{data['transactions']:_} Transaktionen aus {data['rows']:_} Zeilen "
        f"({data['bytes'] / 1e6:.1f} MB), {data['disposals']:_} Veräußerungen".replace("_", ".")
    )
    for key, label in (
        ("read", "Einlesen + Zusammenführen"),
        ("compute", "Rechnen (FIFO, Jahre, Verluste)"),
        ("render", "Ergebnisseite, CSV, Kalender, Rückgabe"),
        ("zip", "Dokumentation (ZIP)"),
    ):
        wall, cpu = stages[key]
        print(f"  {label}: Median {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms")
    print(
        f"  zusammen ohne ZIP: {core_wall * 1000:.0f} ms (CPU {core_cpu * 1000:.0f} ms); "
        f"Spitzenspeicher {data['rss_peak']:.0f} MB (davon {data['rss_before']:.0f} MB "
        f"Python, Programm und erzeugte Dateien) – Ziel < 5000 ms und < 500 MB: {ok}"
    )


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


def _tax_case() -> None:
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


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.exchanges_child:
        return _exchanges_child()
    print(f"Last (1 min): {os.getloadavg()[0]:.1f} auf {os.cpu_count()} Kernen")
    _tax_case()
    _exchanges_case()
    prices = _data_dir(args) / PRICES
    if not prices.is_file():
        print(
            f"Sparplan übersprungen – Kursdatei fehlt: {prices}\n"
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
    print(f"Sparplan, 10 Jahre wöchentlich ({len(result.purchases)} Käufe, {source})")
    print(
        f"  Rückrechnung + Diagramm: Median {median:.1f} ms, bestes {best:.1f} ms, "
        f"CPU {cpu:.1f} ms – Ziel < 50 ms: {ok}"
    )
    print(f"Last (1 min) am Ende: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
