"""Lighthouse scores of the main page types through `make serve-production` (`make bench-lighthouse`).

Starts the production stack on free loopback ports (or uses one already running: --running
--port N) and waits until the machine is quiet (the stack's worker first runs the tasks
the demo load queued), then runs Lighthouse (pinned, from the npm registry: scripts/ensure-lighthouse.sh)
with Debian's Chromium --runs times (default 3) per page and form factor — mobile with
Lighthouse's default (simulated) throttling, desktop with --preset=desktop — one run at a
time, and prints

  * a Markdown table: page × mobile/desktop × performance, accessibility, best practices, SEO,
    each the median run (by performance score), as Lighthouse's own guide on variability
    advises: one run on this 2-core machine moved by up to 5 points with nothing changed
  * the performance score and Total Blocking Time of every run, for the spread
  * every audit below full score per page and form factor (with Lighthouse's figure)

JSON reports go to var/lighthouse/<date>/ (git-ignored). Simulated throttling estimates the
timings from the trace of an unthrottled load, so a busy machine lowers the performance
score: the load average is printed with the table; read the failing audits, not only the
score. Lighthouse counts wall-clock task durations (times four on mobile): on a busy machine a
task of 1 ms CPU that waits 30 ms for a core counts as 120 ms of blocking time. To find a
cause, compare the main-thread CPU time (`tdur` of the trace events, `--save-assets`) of style,
layout and parsing, not Total Blocking Time.

Below 100 by design (printed with the reason, see BY_DESIGN):

  * Sparplan result, SEO: audit `is-crawlable`. A result page exists for every parameter set
    a reader types in; it says `noindex, follow` and carries a canonical link to the
    indexable calculator page `/rechner/sparplan/` (the example and the form). Making
    results indexable for a score would put endless near-duplicate pages into search engines.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from http_load import start_stack
from loadtools import get

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".tools" / "npm" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CATEGORY_LABELS = ("Leistung", "Barrierefreiheit", "Best Practices", "SEO")
PAGES = {
    "Startseite": "/",
    "Rubrik": "/neuigkeiten/",
    "Artikel": "/neuigkeiten/bybit-hack-februar-2025/",
    "Kurse": "/kurse/",
    "Coin": "/kurse/bitcoin/",
    "Vergleich": "/vergleich/krypto-boersen/",
    "Kostenrechner": "/vergleich/kostenrechner/",
    "Sparplan": (
        "/rechner/sparplan/?coin=bitcoin&betrag=100&intervall=monatlich"
        "&start=2020-01-01&ende=2024-12-31&gebuehr=1.0"
    ),
    # The same result for the example inputs, on the calculator's own (indexable) address:
    # the Sparplan result as a search engine lists it.
    "Sparplan-Beispiel": "/rechner/sparplan/",
}
# (page, audit id) -> why the page fails that audit on purpose.
BY_DESIGN = {
    ("Sparplan", "is-crawlable"): (
        "noindex mit Absicht: ein Ergebnis je Eingabe, canonical auf /rechner/sparplan/"
    ),
}
FORM_FACTORS = ("mobile", "desktop")
ATTEMPTS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def busy_share(seconds: float = 2.0) -> float:
    """Share of all cores' time spent working over the next `seconds` (Linux /proc/stat)."""

    def sample() -> tuple[int, int]:
        fields = [int(value) for value in Path("/proc/stat").read_text().split()[1:9]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields), idle

    total_before, idle_before = sample()
    time.sleep(seconds)
    total_after, idle_after = sample()
    total = total_after - total_before
    return 1 - (idle_after - idle_before) / total if total else 0.0


def wait_until_quiet(*, limit: float = 0.15, windows: int = 3, timeout: float = 300) -> float:
    """Wait until the machine works less than `limit` in `windows` two-second windows in a
    row. Right after it starts, the stack's worker still runs the tasks the demo load queued
    (related articles, coin mentions: about a minute here); runs in that minute scored up to
    20 points lower. Returns the seconds waited."""
    started = time.monotonic()
    quiet = 0
    while quiet < windows and time.monotonic() - started < timeout:
        quiet = quiet + 1 if busy_share() < limit else 0
    if quiet < windows:
        print(f"  Rechner nach {timeout:.0f} s noch beschäftigt: Werte unsicher.", file=sys.stderr)
    return time.monotonic() - started


def run_lighthouse(url: str, *, form_factor: str, output: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={output}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--quiet",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    for attempt in range(ATTEMPTS):
        output.unlink(missing_ok=True)
        result = subprocess.run(  # noqa: S603 - our pinned tool
            command,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode == 0 and output.exists():
            report = json.loads(output.read_text())
            if not report.get("runtimeError"):
                return report
        # A busy machine now and then loses the trace (NO_NAVSTART): once more.
        print(f"    Lauf {attempt + 1} gescheitert, noch einmal …", file=sys.stderr)
    sys.exit(f"Lighthouse scheiterte an {url} ({form_factor}):\n{result.stderr[-2000:]}")


def scores(report: dict) -> dict[str, int | None]:
    return {
        name: None
        if report["categories"][name]["score"] is None
        else round(report["categories"][name]["score"] * 100)
        for name in CATEGORIES
    }


def median_run(reports: list[dict]) -> dict:
    """The run whose performance score is the median (the lower middle of an even count)."""
    ordered = sorted(reports, key=lambda report: scores(report)["performance"] or 0)
    return ordered[(len(ordered) - 1) // 2]


def failing_audits(report: dict, *, page: str = "") -> list[str]:
    """Audits of the four categories that count and are below full score."""
    counted = {
        ref["id"]
        for name in CATEGORIES
        for ref in report["categories"][name]["auditRefs"]
        if ref.get("weight", 0) > 0 or name != "performance"
    }
    lines = []
    for audit_id, audit in sorted(report["audits"].items()):
        if audit["scoreDisplayMode"] not in ("binary", "numeric", "metricSavings"):
            continue
        if audit["score"] is None or audit["score"] >= 1:
            continue
        if audit_id not in counted and audit["scoreDisplayMode"] != "metricSavings":
            continue
        value = audit.get("displayValue") or ""
        reason = BY_DESIGN.get((page, audit_id))
        value = f"{value}; {reason}" if reason and value else reason or value
        lines.append(f"{audit_id} ({audit['score']:.2f}{', ' + value if value else ''})")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var")
    parser.add_argument("--running", action="store_true", help="Stack läuft schon (--port)")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument(
        "--page", action="append", choices=list(PAGES), help="nur diese Seite(n) messen"
    )
    parser.add_argument("--form-factor", choices=FORM_FACTORS, action="append")
    parser.add_argument(
        "--runs", type=int, default=3, help="Läufe je Seite und Gerät (Median zählt)"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs muss mindestens 1 sein")
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse fehlt: zuerst scripts/ensure-lighthouse.sh ausführen.")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        sys.exit(f"Chromium fehlt ({CHROMIUM}); CHROME_PATH setzen.")
    var_dir = args.var_dir.resolve()
    process = None
    if args.running:
        if args.port is None:
            sys.exit("Mit --running bitte --port angeben.")
        port = args.port
    else:
        port = args.port or free_port()
        os.environ["HTTP_PORT"] = str(port)
        os.environ["APP_PORT"] = str(free_port())
        print(f"Starte den Produktionsaufbau auf Port {port} …", file=sys.stderr)
        process = start_stack(var_dir, var_dir / "log" / "lighthouse-stack.log")
    base = f"http://127.0.0.1:{port}"
    pages = {name: PAGES[name] for name in args.page or PAGES}
    form_factors = args.form_factor or list(FORM_FACTORS)
    out_dir = var_dir / "lighthouse" / time.strftime("%Y-%m-%dT%H%M%S")
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[tuple[str, str], dict] = {}
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    loads = []
    try:
        for path in pages.values():
            get(base + path)  # fill the caches, as for a reader who is not the first
        waited = wait_until_quiet()
        print(f"  Rechner ruhig nach {waited:.0f} s.", file=sys.stderr)
        for name, path in pages.items():
            for form_factor in form_factors:
                loads.append(os.getloadavg()[0])
                print(f"  {name} ({form_factor}) …", file=sys.stderr)
                reports = [
                    run_lighthouse(
                        base + path,
                        form_factor=form_factor,
                        output=out_dir / f"{name.lower()}-{form_factor}-{run + 1}.json",
                    )
                    for run in range(args.runs)
                ]
                report = median_run(reports)
                results[name, form_factor] = {
                    "scores": scores(report),
                    "failing": failing_audits(report, page=name),
                    "version": report["lighthouseVersion"],
                    "browser": report["environment"]["hostUserAgent"],
                    "runs": [
                        (
                            scores(each)["performance"],
                            each["audits"]["total-blocking-time"]["numericValue"],
                        )
                        for each in reports
                    ],
                }
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)

    version = next(iter(results.values()))["version"]
    print(
        f"\nLighthouse {version}, {CHROMIUM} (headless), {started}; Load-Average (1 min) "
        f"während der Läufe {min(loads):.1f}–{max(loads):.1f}; Berichte: "
        f"{out_dir.relative_to(ROOT) if out_dir.is_relative_to(ROOT) else out_dir}\n"
    )
    header = " | ".join(f"{label} m / d" for label in CATEGORY_LABELS)
    print(f"| Seite | {header} |")
    print("| --- |" + " ---: |" * len(CATEGORIES))
    for name in pages:
        cells = []
        for category in CATEGORIES:
            values = [
                results[name, factor]["scores"][category]
                for factor in FORM_FACTORS
                if (name, factor) in results
            ]
            cells.append(" / ".join("–" if value is None else str(value) for value in values))
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\nLeistung je Lauf (Total Blocking Time), {args.runs} Läufe, Median oben:")
    for (name, form_factor), result in results.items():
        runs = ", ".join(f"{score} ({tbt:.0f} ms)" for score, tbt in result["runs"])
        print(f"- {name} ({form_factor}): {runs}")
    print("\nAudits unter voller Punktzahl (Median-Lauf):")
    any_failing = False
    for (name, form_factor), result in results.items():
        if result["failing"]:
            any_failing = True
            print(f"- {name} ({form_factor}): " + "; ".join(result["failing"]))
    if not any_failing:
        print("- keine")


if __name__ == "__main__":
    main()
