"""The edge measurements of `make bench-http` (issue 13), run by http_load.py on its stack:

  forged cookies   home and article with a forged `sessionid`, against the same pages
                   without it (target: within 10 % of the proxy-cached rate)
  query flood      the uncached article path measured while 64 connections from one other
                   address send random query strings to nginx: with the limits of
                   deploy/nginx.conf, and without them (that address exempt) for comparison
  Redis away       what a reader waits for the article while Redis hangs (SIGSTOP) and while
                   it is dead (SIGKILL; serve-production starts it again): nginx's cached copy,
                   and the app's copy that Redis would otherwise hold, rendered without it

The stack is started with 127.0.0.1 exempt from nginx's limits (NGINX_LIMIT_EXEMPT), so the
throughput rows measure the caches, not the limiter; the bench's nginx additions take the
client address from `X-Bench-Client` (realip), so the flood comes from an address that is
limited, 192.0.2.66.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from loadtools import parse_wrk, wrk, wrk_command

FLOOD_ADDRESS = "192.0.2.66"
BENCH_CONF = """
set_real_ip_from 127.0.0.1;
real_ip_header X-Bench-Client;
"""
RANDOM_QUERY_LUA = """
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/neuigkeiten/?zufall=" .. math.random(1, 2000000000))
end
"""


def forged_cookie_rates(base: str, article: str, *, seconds: int, rounds: int = 2) -> dict:
    """(page, cookie) → figures; plain and forged alternate so drift hits both."""
    forged = {"Cookie": "sessionid=" + "f" * 32}
    results: dict[str, list[dict]] = {}
    for index in range(rounds):
        for page, path in (("Startseite", "/"), ("Artikel", article)):
            order = (("ohne Cookie", None), ("gefälschte sessionid", forged))
            for label, headers in order if index % 2 == 0 else reversed(order):
                figures = wrk(
                    base + path, connections=32, seconds=max(1, seconds // rounds), headers=headers
                )
                results.setdefault(f"{page}, {label}", []).append(figures)
    return {name: _merge(measured) for name, measured in results.items()}


def query_flood(base: str, uncached_url: str, var_dir: Path, *, seconds: int) -> dict:
    """The uncached article's figures while a flood of random queries runs, with limits
    (the flood from a limited address) and without (from the exempt one)."""
    script = var_dir / "nginx" / "bench-random-query.lua"
    script.write_text(RANDOM_QUERY_LUA)
    results = {}
    try:
        for label, headers in (
            ("Limits an", {"X-Bench-Client": FLOOD_ADDRESS}),
            ("Limits aus", None),
        ):
            flood = subprocess.Popen(  # noqa: S603
                wrk_command(
                    base + "/",
                    connections=64,
                    seconds=seconds,
                    headers=headers,
                    script=str(script),
                ),
                stdout=subprocess.PIPE,
                text=True,
            )
            time.sleep(1)
            reader = wrk(uncached_url, connections=32, seconds=max(1, seconds - 2))
            flood_figures = parse_wrk(flood.communicate()[0])
            results[label] = {"reader": reader, "flood": flood_figures}
    finally:
        script.unlink(missing_ok=True)
    return results


def redis_away(base: str, article: str, app_article: str, var_dir: Path, *, seconds: int) -> dict:
    """Figures while Redis hangs and while it is dead."""
    pid_file = var_dir / "run" / "redis.pid"
    results = {}
    pid = int(pid_file.read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        results["hängt"] = _while_away(base, article, app_article, seconds=seconds)
    finally:
        os.kill(pid, signal.SIGCONT)
    time.sleep(12)  # every process's breaker has tried again and found Redis back
    pid = int(pid_file.read_text())
    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    results["tot"] = _while_away(base, article, app_article, seconds=seconds)
    deadline = time.monotonic() + 120
    while True:  # serve-production starts Redis again; the app uses it again
        _get_app_cache(app_article)
        if _get_app_cache(app_article) == "HIT":
            results["wieder da nach"] = time.monotonic() - killed_at
            break
        if time.monotonic() > deadline:
            results["wieder da nach"] = None
            break
        time.sleep(0.5)
    return results


def _while_away(base: str, article: str, app_article: str, *, seconds: int) -> dict:
    first = []
    for _ in range(20):  # one request at a time: the first ones meet the timeout
        started = time.monotonic()
        _get_app_cache(app_article)
        first.append((time.monotonic() - started) * 1000)
    return {
        "einzeln": {"max_ms": max(first), "median_ms": statistics.median(first)},
        "proxy-cached": wrk(base + article, connections=32, seconds=seconds),
        "app (sonst aus Redis)": wrk(app_article, connections=8, seconds=seconds),
    }


def _get_app_cache(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            response.read()
            return response.headers.get("X-App-Cache")
    except urllib.error.URLError:
        return None


def _merge(measured: list[dict]) -> dict:
    return {
        "rps": sum(figures["rps"] for figures in measured) / len(measured),
        "requests": sum(figures["requests"] for figures in measured),
        "p50_ms": statistics.median(figures["p50_ms"] for figures in measured),
        "p99_ms": statistics.median(figures["p99_ms"] for figures in measured),
        "errors": sum(figures["errors"] for figures in measured),
    }


def report(forged: dict, flood: dict, redis: dict, *, uncached: dict) -> list[str]:
    lines = ["", "Gefälschte Cookies (wrk, 32 Verbindungen):", ""]
    lines += [
        "| Seite | Anfragen/s | p99 | Fehler | Anteil ohne Cookie |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, figures in forged.items():
        plain = forged[name.replace("gefälschte sessionid", "ohne Cookie")]
        lines.append(
            f"| {name} | {figures['rps']:,.0f} | {figures['p99_ms']:.1f} ms | "
            f"{figures['errors']} | {figures['rps'] / plain['rps']:.0%} |"
        )
    lines += [
        "",
        "Ungecachter Artikel (32 Verbindungen), während 64 Verbindungen von einer Adresse "
        "zufällige Query-Strings senden:",
        "",
        "| | Artikel/s | p50 | p99 | Flut: Anfragen/s | Flut: davon 429 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| ohne Flut (oben) | {uncached['rps']:,.0f} | {uncached['p50_ms']:.1f} ms | "
        f"{uncached['p99_ms']:.1f} ms | – | – |",
    ]
    for label, figures in flood.items():
        reader, attack = figures["reader"], figures["flood"]
        share = attack["non_2xx"] / attack["requests"] if attack["requests"] else 0
        lines.append(
            f"| {label} | {reader['rps']:,.0f} | {reader['p50_ms']:.1f} ms | "
            f"{reader['p99_ms']:.1f} ms | {attack['rps']:,.0f} | {share:.0%} |"
        )
    lines += [
        "",
        "Redis nicht erreichbar – was ein Leser für den Artikel wartet:",
        "",
        "| Redis | einzeln: Median / Max | proxy-cached p50 / p99 (Anfragen/s) | "
        "App ohne Redis p50 / p99 (Anfragen/s) | Fehler |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label in ("hängt", "tot"):
        figures = redis[label]
        single, proxy, app = (
            figures["einzeln"],
            figures["proxy-cached"],
            figures["app (sonst aus Redis)"],
        )
        lines.append(
            f"| {label} | {single['median_ms']:.0f} / {single['max_ms']:.0f} ms | "
            f"{proxy['p50_ms']:.1f} / {proxy['p99_ms']:.1f} ms ({proxy['rps']:,.0f}) | "
            f"{app['p50_ms']:.0f} / {app['p99_ms']:.0f} ms ({app['rps']:,.0f}) | "
            f"{proxy['errors'] + app['errors']} |"
        )
    back = redis.get("wieder da nach")
    lines.append(
        "\nNach SIGKILL: Redis neu gestartet und wieder genutzt nach "
        + (f"{back:.0f} s" if back is not None else "– (nicht innerhalb von 120 s)")
        + " (Neustart-Pause von serve-production: REDIS_RESTART_SECONDS)"
    )
    return lines
