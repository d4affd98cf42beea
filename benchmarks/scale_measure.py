"""Timings for benchmarks/scale_100k.py (needs django.setup() and the loaded site)."""

from __future__ import annotations

import math
import os
import platform
import time
from datetime import UTC, datetime
from urllib.parse import quote_plus, urlsplit

import defusedxml.ElementTree as ET
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kryptowelt.caching.memory import memory
from kryptowelt.news.models import ArticlePage, SectionPage

SEARCH_GOAL_MS = 50
SECTION_GOAL_MS = 30
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def _cold_get(client, url, expect=200):
    """One request with every cache emptied first; (milliseconds, response, queries)."""
    cache.clear()
    memory.clear()
    # The connection keeps the last 9,000 queries; once full, a capture counted 0.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != expect:
        raise SystemExit(f"{url}: HTTP {response.status_code} statt {expect}")
    return elapsed, response, len(queries)


def measure(*, queries, section_pages, repeat, sitemap_limit) -> dict:
    client = Client()
    per_page = settings.KRYPTOWELT_ARTICLES_PER_PAGE
    section_urls = []
    for section in SectionPage.objects.live().order_by("path"):
        count = ArticlePage.objects.live().child_of(section).count()
        last = max(1, math.ceil(count / per_page))
        numbers = sorted({n for n in section_pages if n <= last} | {last})
        section_urls += [section.url + (f"?seite={n}" if n > 1 else "") for n in numbers]
    search_urls = [f"/suche/?q={quote_plus(query)}" for query in queries]

    for url in section_urls + search_urls:  # warm-up: imports, templates, connection
        _cold_get(client, url)

    search_ms, empty, search_queries = [], [], []
    for url in search_urls:
        for _ in range(repeat):
            elapsed, response, count = _cold_get(client, url)
            search_ms.append(elapsed)
        search_queries.append(count)
        if "keine Treffer" in response.content.decode().lower() or b"<mark>" not in (
            response.content
        ):
            empty.append(url)
    section_ms, section_queries, slowest = [], {}, (0.0, "")
    for url in section_urls:
        for _ in range(repeat):
            elapsed, response, count = _cold_get(client, url)
            section_ms.append(elapsed)
            slowest = max(slowest, (elapsed, url))
        section_queries[url] = count

    # As a running site renders a page that neither the proxy nor the page cache has (the
    # "uncached" path (c) of make bench-http): fragment caches, navigation and remembered
    # counts filled once, whole-page cache still off.
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 600
    cache.clear()
    memory.clear()
    for url in section_urls + search_urls:
        client.get(url)
    warm = {"search": [], "section": []}
    for kind, urls in (("search", search_urls), ("section", section_urls)):
        for url in urls:
            for _ in range(repeat):
                began = time.perf_counter()
                response = client.get(url)
                warm[kind].append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {response.status_code} statt 200")
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 0

    began = time.perf_counter()
    sitemap_pages = _sitemaps(client)
    sitemap_s = time.perf_counter() - began
    biggest = max(count for _, count in sitemap_pages)
    figures = {
        "search_p50": percentile(search_ms, 0.5),
        "search_p95": percentile(search_ms, 0.95),
        "search_max": max(search_ms),
        "search_samples": len(search_ms),
        "search_queries": len(queries),
        "search_without_hits": len(empty),
        "search_sql": max(search_queries),
        "section_p50": percentile(section_ms, 0.5),
        "section_p95": percentile(section_ms, 0.95),
        "section_max": max(section_ms),
        "section_slowest": slowest[1],
        "section_samples": len(section_ms),
        "section_urls": len(section_urls),
        "section_sql": sorted(set(section_queries.values())),
        "search_warm_p50": percentile(warm["search"], 0.5),
        "search_warm_p95": percentile(warm["search"], 0.95),
        "section_warm_p50": percentile(warm["section"], 0.5),
        "section_warm_p95": percentile(warm["section"], 0.95),
        "sitemap_s": sitemap_s,
        "sitemap_pages": len(sitemap_pages),
        "sitemap_urls": sum(count for _, count in sitemap_pages),
        "sitemap_biggest": biggest,
    }
    # The goals are read for a page no cache holds whole (the warm figures); the cold ones,
    # every cache emptied, are printed beside them.
    figures["ok"] = (
        figures["search_warm_p95"] < SEARCH_GOAL_MS
        and figures["section_warm_p95"] < SECTION_GOAL_MS
        and biggest <= sitemap_limit
    )
    return figures


def _sitemaps(client) -> list[tuple[str, int]]:
    """(url, number of <url> entries) of every sitemap /sitemap.xml is or points to."""
    cache.clear()
    memory.clear()
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    if root.tag == f"{NS}urlset":
        return [("/sitemap.xml", len(root.findall(f"{NS}url")))]
    found = []
    for loc in root.iter(f"{NS}loc"):
        parts = urlsplit(loc.text)
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        page = ET.fromstring(client.get(url).content)
        found.append((url, len(page.findall(f"{NS}url"))))
    return found


def report(*, load, figures, articles) -> None:
    one, five, fifteen = os.getloadavg()
    ok = "erreicht" if figures["ok"] else "NICHT erreicht"
    rows = [
        ("Datum (UTC)", datetime.now(UTC).strftime("%Y-%m-%d %H:%M")),
        ("Rechner", f"{platform.node()}, {os.cpu_count()} Kerne, {platform.python_version()}"),
        ("Artikel", f"{ArticlePage.objects.count():,}"),
    ]
    if load is not None:
        timings = load["timings"]
        load_s = timings["rows"] + timings["index"] + timings["analyze"]
        rows += [
            ("Laden: Zeilen", f"{timings['rows']:.1f} s"),
            ("Laden: Suchindex", f"{timings['index']:.1f} s"),
            ("Laden: VACUUM ANALYZE", f"{timings['analyze']:.1f} s"),
            ("Laden gesamt", f"{load_s:.1f} s ({articles / load_s:.0f} Artikel/s)"),
        ]
    rows += [
        (
            "Kalt: Suche p50 / p95 / max",
            f"{figures['search_p50']:.1f} / {figures['search_p95']:.1f} / "
            f"{figures['search_max']:.1f} ms",
        ),
        (
            "  Anfragen",
            f"{figures['search_queries']} Suchbegriffe × Wiederholungen = "
            f"{figures['search_samples']} Messungen, {figures['search_without_hits']} ohne "
            f"Treffer, höchstens {figures['search_sql']} SQL-Abfragen",
        ),
        (
            "Kalt: Rubrik p50 / p95 / max",
            f"{figures['section_p50']:.1f} / {figures['section_p95']:.1f} / "
            f"{figures['section_max']:.1f} ms",
        ),
        (
            "  Seiten",
            f"{figures['section_urls']} Adressen (Seite 1, 2, 10, 50, letzte), "
            f"{figures['section_samples']} Messungen, SQL-Abfragen je Seite "
            f"{figures['section_sql']}, langsamste {figures['section_slowest']}",
        ),
        (
            "Ohne Seiten-Cache: Suche p50 / p95",
            f"{figures['search_warm_p50']:.1f} / {figures['search_warm_p95']:.1f} ms "
            f"(Ziel p95 < {SEARCH_GOAL_MS} ms)",
        ),
        (
            "Ohne Seiten-Cache: Rubrik p50 / p95",
            f"{figures['section_warm_p50']:.1f} / {figures['section_warm_p95']:.1f} ms "
            f"(Ziel p95 < {SECTION_GOAL_MS} ms)",
        ),
        (
            "Sitemap",
            f"{figures['sitemap_s']:.1f} s für {figures['sitemap_pages']} Sitemap-Seite(n) "
            f"mit {figures['sitemap_urls']:,} Adressen (größte {figures['sitemap_biggest']:,})",
        ),
        ("Lastmittel 1/5/15 min", f"{one:.2f} / {five:.2f} / {fifteen:.2f}"),
        ("Ziele", ok),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    print("Kalt: ohne Seiten- und Fragment-Cache, vor jeder Anfrage alle Caches geleert.")
    print("Ohne Seiten-Cache: Fragmente, Navigation und gemerkte Zählungen einmal gefüllt,")
    print("jede Seite neu gerendert (wie Pfad (c) von make bench-http; daran die Ziele).")
    print("Django-Testclient im selben Prozess (kein Netz, kein Proxy).")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
