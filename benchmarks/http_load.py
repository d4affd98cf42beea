"""Load figures for the article page through `make serve-production` (`make bench-http`).

Starts the production stack on loopback (or uses one already running: --running), then runs
wrk against the same article page in four ways, in one run:

  static        nginx serving a saved copy of the page as a file (the ceiling)
  proxy-cached  (a) through nginx, answered from its proxy cache (X-Cache-Status: HIT)
  app-cached    (b) through nginx past its cache, answered from the app's page cache (Redis)
  uncached      (c) through nginx past both caches: Django renders the page every time
                    (an unknown query parameter keeps it out of the app's page cache;
                    fragment caches inside the page are warm, as in production)

static and proxy-cached are measured in alternating rounds (their ratio is target (a)), then
a 60 s soak with 64 connections on the uncached path, and prints a Markdown table.

While it runs, a market sync changes every price once a minute (`kryptowelt sync_markets`
against benchmarks/fake_coingecko.py on loopback, in one long-lived process as the scheduler
runs it: benchmarks/sync_process.py), as production does every five minutes:
caches must keep the article page through it (`--sync-interval 0` switches it off).
Then the edge measurements of http_edge.py: a forged session cookie, a flood of random query
strings, Redis hung and dead. nginx's per-address limits do not apply to 127.0.0.1 in the
stack this starts (NGINX_LIMIT_EXEMPT); with --running they do, unless that stack was started
so too.

Targets (2-core machine): (a) ≥ 80 % of static; (c) ≥ 150 req/s and p99 < 150 ms at 32
connections; no failed request in the soak; a forged sessionid within 10 % of the plain
proxy-cached rate; no failed request while Redis is away.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import http_edge
from fake_coingecko import serve as serve_fake_coingecko
from loadtools import get, wrk

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "/neuigkeiten/bybit-hack-februar-2025/"
BENCH_CONF = """
# Written by benchmarks/http_load.py; removed when it ends.
location = /__bench/static-article.html {
    alias %(page)s;
    default_type text/html;
}
location /__bench/app/ {
    proxy_pass http://kryptowelt_app/;
}
"""


def compare_with_static(urls: dict, *, seconds: int, rounds: int) -> dict:
    """static and proxy-cached in alternating rounds (A B B A …), `seconds` each in all.

    Both paths take a few hundred microseconds, so a background job or nginx's workers
    settling after the reload move either by 10–20 % for a few seconds. Alternating the
    order puts such a drift on both sides; the table shows the whole run (requests over
    time, median p50/p99 of the rounds) and the ratio of every round."""
    names = ("static", "proxy-cached")
    rounds_of = {name: [] for name in names}
    for index in range(rounds):
        for name in names if index % 2 == 0 else reversed(names):
            rounds_of[name].append(
                wrk(urls[name], connections=32, seconds=max(1, seconds // rounds))
            )
    results = {}
    for name, measured in rounds_of.items():
        results[name] = {
            "rps": sum(figures["rps"] for figures in measured) / len(measured),
            "requests": sum(figures["requests"] for figures in measured),
            "p50_ms": statistics.median(figures["p50_ms"] for figures in measured),
            "p99_ms": statistics.median(figures["p99_ms"] for figures in measured),
            "errors": sum(figures["errors"] for figures in measured),
        }
    results["static"]["round_ratios"] = [
        cached["rps"] / static["rps"]
        for static, cached in zip(rounds_of["static"], rounds_of["proxy-cached"], strict=True)
    ]
    return results


def start_stack(var_dir: Path, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "KRYPTOWELT_VAR_DIR": str(var_dir),
        "NGINX_ACCESS_LOG": "",
        # The throughput rows measure the caches, not nginx's per-address limits; the flood
        # of http_edge.py comes from another (limited) address.
        "NGINX_LIMIT_EXEMPT": "127.0.0.1",
        "REDIS_RESTART_SECONDS": os.environ.get("REDIS_RESTART_SECONDS", "20"),
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(  # noqa: S603
        [str(ROOT / "deploy" / "serve-production.sh")],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 600
    while "läuft auf" not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"Der Produktionsaufbau startete nicht:\n{log.read_text()[-3000:]}")
        time.sleep(1)
    return process


class MarketSyncs:
    """`kryptowelt sync_markets` every `interval` seconds against a fake CoinGecko, with the
    stack's settings (same database and Redis), in a background thread."""

    def __init__(self, *, var_dir: Path, port: str, interval: float):
        self.interval = interval
        self.server, self.market = serve_fake_coingecko()
        secret = (var_dir / "production_secret_key").read_text().strip()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kryptowelt.settings.production",
            "KRYPTOWELT_VAR_DIR": str(var_dir),
            "SECRET_KEY": secret,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{port}",
            # The stack's own PostgreSQL cluster, or the DATABASE_URL it was given.
            "DATABASE_URL": os.environ.get("DATABASE_URL")
            or (var_dir / "run" / "database_url").read_text().strip(),
            "CACHE_URL": os.environ.get("CACHE_URL", f"redis://{var_dir}/run/redis.sock?db=0"),
            "COINGECKO_BASE_URL": f"http://127.0.0.1:{self.server.server_port}/api/v3",
            "SECURE_SSL_REDIRECT": "false",
        }
        self.done: list[float] = []
        self.cpu: list[float] = []
        self.failed = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if self.interval > 0:
            self.process = subprocess.Popen(  # noqa: S603 - our own script
                [
                    str(ROOT / ".venv" / "bin" / "python"),
                    str(ROOT / "benchmarks" / "sync_process.py"),
                ],
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            self.sync()  # the first sync replaces the demo's sample data
            self.thread.start()

    def sync(self) -> None:
        self.process.stdin.write("sync\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().split(maxsplit=2)
        if answer and answer[0] == "ok":
            self.done.append(float(answer[1]))
            self.cpu.append(float(answer[2]))
        else:
            self.failed += 1
            reason = answer[1:] or ["der Abgleich-Prozess endete"]
            print(f"Marktdaten-Abgleich fehlgeschlagen: {' '.join(reason)}", file=sys.stderr)

    def _run(self) -> None:
        while not self.stopping.wait(self.interval):
            self.sync()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=120)
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=60)
        self.server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var")
    parser.add_argument("--running", action="store_true", help="Stack läuft schon")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--soak-seconds", type=int, default=60)
    parser.add_argument(
        "--rounds", type=int, default=4, help="Runden im Wechsel statisch/proxy-cached"
    )
    parser.add_argument("--port", default=os.environ.get("HTTP_PORT", "8080"))
    parser.add_argument(
        "--sync-interval",
        type=float,
        default=60,
        help="Sekunden zwischen zwei Marktdaten-Abgleichen während der Messung (0 = keiner)",
    )
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    var_dir = args.var_dir.resolve()
    process = None
    if not args.running:
        process = start_stack(var_dir, var_dir / "log" / "bench-stack.log")
    conf = var_dir / "nginx" / "conf.d" / "bench.conf"
    syncs = MarketSyncs(var_dir=var_dir, port=args.port, interval=args.sync_interval)
    try:
        syncs.start()
        _, page = get(base + ARTICLE)
        static_page = var_dir / "nginx" / "static-article.html"
        static_page.write_bytes(page)
        conf.write_text(BENCH_CONF % {"page": static_page} + http_edge.BENCH_CONF)
        nginx_pid = int((var_dir / "run" / "nginx.pid").read_text())
        os.kill(nginx_pid, signal.SIGHUP)  # reload with the benchmark locations
        time.sleep(1.5)
        urls = {
            "static": base + "/__bench/static-article.html",
            "proxy-cached": base + ARTICLE,
            "app-cached": base + "/__bench/app" + ARTICLE,
            "uncached": base + "/__bench/app" + ARTICLE + "?bench=uncached",
        }
        checks = {
            "proxy-cached": ("X-Cache-Status", "HIT"),
            "app-cached": ("X-App-Cache", "HIT"),
        }
        for name, url in urls.items():
            get(url)
            headers, body = get(url)
            if name in checks:
                header, expected = checks[name]
                if headers.get(header) != expected:
                    sys.exit(f"{name}: {header} = {headers.get(header)!r}, erwartet {expected}")
            if name == "uncached" and "X-App-Cache" in headers:
                sys.exit("uncached: die Antwort kam aus dem Seiten-Cache")
            if len(body) < 0.9 * len(page):
                sys.exit(f"{name}: andere Seite ({len(body)} statt {len(page)} Bytes)")
        for url in urls.values():
            wrk(url, connections=32, seconds=3)  # warm-up
        results = compare_with_static(urls, seconds=args.seconds, rounds=args.rounds)
        for name in ("app-cached", "uncached"):
            results[name] = wrk(urls[name], connections=32, seconds=args.seconds)
        soak = wrk(urls["uncached"], connections=64, seconds=args.soak_seconds)
        edge_seconds = max(4, args.seconds // 2)
        forged = http_edge.forged_cookie_rates(base, ARTICLE, seconds=edge_seconds)
        flood = http_edge.query_flood(base, urls["uncached"], var_dir, seconds=args.seconds)
        redis = http_edge.redis_away(
            base, ARTICLE, urls["app-cached"], var_dir, seconds=edge_seconds
        )
    finally:
        syncs.stop()
        conf.unlink(missing_ok=True)
        if process is not None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)

    static_rps = results["static"]["rps"]
    load = os.getloadavg()[0]
    print(
        f"\nArtikelseite {ARTICLE} ({len(page) // 1024} KiB), wrk 2 Threads, 32 Verbindungen, "
        f"je {args.seconds} s; Load-Average danach {load:.1f}\n"
    )
    print("| Weg | Anfragen/s | p50 | p99 | Fehler | Anteil an statisch |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, figures in results.items():
        print(
            f"| {name} | {figures['rps']:,.0f} | {figures['p50_ms']:.1f} ms | "
            f"{figures['p99_ms']:.1f} ms | {figures['errors']} | "
            f"{figures['rps'] / static_rps:.0%} |"
        )
    if args.sync_interval > 0:
        durations = ", ".join(
            f"{seconds:.1f} s (CPU {cpu:.1f} s)"
            for seconds, cpu in zip(syncs.done, syncs.cpu, strict=True)
        )
        print(
            f"\nMarktdaten-Abgleich alle {args.sync_interval:.0f} s während der Messung: "
            f"{len(syncs.done)} erfolgreich ({durations}), {syncs.failed} fehlgeschlagen"
        )
    ratios = ", ".join(f"{ratio:.0%}" for ratio in results["static"]["round_ratios"])
    print(f"\nproxy-cached/statisch je Runde ({args.rounds} im Wechsel): {ratios}")
    print(
        f"\nDauertest ungecacht, 64 Verbindungen, {args.soak_seconds} s: "
        f"{soak['requests']:,} Anfragen, {soak['rps']:,.0f}/s, p99 {soak['p99_ms']:.0f} ms, "
        f"{soak['errors']} fehlgeschlagen"
    )
    print("\n".join(http_edge.report(forged, flood, redis, uncached=results["uncached"])))
    print()
    forged_ratio = min(
        forged[name]["rps"] / forged[name.replace("gefälschte sessionid", "ohne Cookie")]["rps"]
        for name in forged
        if "gefälschte" in name
    )
    targets = {
        "(a) ≥ 80 % von statisch": results["proxy-cached"]["rps"] >= 0.8 * static_rps,
        "gefälschte sessionid ≥ 90 % von ohne Cookie": forged_ratio >= 0.9,
        "Redis weg: keine fehlgeschlagene Anfrage": all(
            redis[label][path]["errors"] == 0
            for label in ("hängt", "tot")
            for path in ("proxy-cached", "app (sonst aus Redis)")
        ),
        "(c) ≥ 150 Anfragen/s": results["uncached"]["rps"] >= 150,
        "(c) p99 < 150 ms": results["uncached"]["p99_ms"] < 150,
        "Dauertest ohne Fehler": soak["errors"] == 0,
    }
    for target, met in targets.items():
        print(f"- {target}: {'erreicht' if met else 'VERFEHLT'}")


if __name__ == "__main__":
    main()
