"""Newsletter send benchmark (`make bench-newsletter`). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/newsletter_send.py [--adressen 20000] [--rate 0] [--sekunden 5]

One edition to N synthetic confirmed addresses (example.invalid) through a real SMTP server
on loopback (aiosmtpd, in its own process), sent by the same code the worker runs
(`newsletter.sending.edition_send_run`, in its own process like a worker). Prints mails per
second, the sending process's peak memory (max RSS) and the rate of a cached article page
(the app's page cache, Django's test client, no HTTP server) in a third process while the
send runs, against the same rate when idle (issue 17: within 10 %).

Uses a throwaway SQLite database under a temporary directory; needs no data from ../shared.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="kw-bench-newsletter-"))
os.environ["KRYPTOWELT_VAR_DIR"] = str(WORK)
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ["DJANGO_SETTINGS_MODULE"] = "kryptowelt.settings.dev"
os.environ.setdefault("LOG_LEVEL", "ERROR")
os.environ["PAGE_CACHE_SECONDS"] = "600"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from kryptowelt.home.factories import site_create  # noqa: E402
from kryptowelt.news.factories import article_make  # noqa: E402
from kryptowelt.newsletter.factories import (  # noqa: E402
    edition_make,
    newsletter_index_ensure,
    newsletter_lists_ensure,
    subscribers_make,
)
from kryptowelt.newsletter.sending import edition_send_run, edition_send_start  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
settings.DEBUG = False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_process(port: int, received, ready) -> None:
    """A loopback SMTP server that counts what it accepts (it does not parse or keep it)."""
    from aiosmtpd.controller import Controller

    class Counter:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
            with received.get_lock():
                received.value += 1
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def send_process(send_id: int, port: int, rate: float, results) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    start, cpu = time.perf_counter(), time.process_time()
    counts = edition_send_run(send_id=send_id, rate=rate)
    results.put(
        {
            "counts": counts,
            "seconds": time.perf_counter() - start,
            "cpu": time.process_time() - cpu,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )


def page_rate(url: str, seconds: float, stop=None) -> tuple[float, int]:
    """Cached article pages per second over `seconds` (or until `stop` is set)."""
    client = Client()
    assert client.get(url).status_code == 200  # fills the page cache
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds and not (stop is not None and stop.is_set()):
        response = client.get(url)
        assert response.status_code == 200
        done += 1
    return done / (time.perf_counter() - start), done


def reader_process(url: str, stop, results) -> None:
    results.put(page_rate(url, seconds=3600, stop=stop))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adressen", type=int, default=20000, help="bestätigte Empfänger")
    parser.add_argument("--rate", type=float, default=0.0, help="Mails/s (0 = ohne Grenze)")
    parser.add_argument("--sekunden", type=float, default=5.0, help="Messdauer Leerlauf")
    args = parser.parse_args()

    print(f"Datenbank: {WORK}")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    home = site_create()
    daily = newsletter_lists_ensure()[0]
    index = newsletter_index_ensure(home=home)
    articles = [article_make(title=f"Benchmark-Artikel {i}") for i in range(5)]
    edition = edition_make(
        index=index,
        newsletter_list=daily,
        title="Benchmark-Ausgabe",
        intro="<p>Synthetische Ausgabe für den Benchmark.</p>",
        articles=articles,
    )
    subscribers_make(newsletter_list=daily, count=args.adressen)
    send = edition_send_start(edition=edition)
    print(
        f"Vorbereitung (migrate, Seite, {args.adressen} Adressen): "
        f"{time.perf_counter() - start:.1f} s (nicht gemessen)"
    )
    url = articles[0].url
    connections.close_all()

    idle_rate, idle_count = page_rate(url, args.sekunden)
    print(f"Artikelseite aus dem Seiten-Cache, Leerlauf: {idle_rate:.0f} Seiten/s ({idle_count})")
    connections.close_all()

    context = multiprocessing.get_context("fork")
    received, ready = context.Value("i", 0), context.Event()
    port = free_port()
    smtp = context.Process(target=smtp_process, args=(port, received, ready), daemon=True)
    smtp.start()
    ready.wait(10)
    stop, reader_results, send_results = context.Event(), context.Queue(), context.Queue()
    reader = context.Process(target=reader_process, args=(url, stop, reader_results))
    sender = context.Process(target=send_process, args=(send.pk, port, args.rate, send_results))
    reader.start()
    sender.start()
    result = send_results.get()
    stop.set()
    busy_rate, busy_count = reader_results.get()
    sender.join()
    reader.join()
    time.sleep(0.5)
    smtp.terminate()

    counts = result["counts"]
    print(
        f"Versand: {counts['sent']} gesendet, {counts['failed']} fehlgeschlagen, "
        f"{received.value} vom SMTP-Server angenommen, in {result['seconds']:.1f} s "
        f"(CPU {result['cpu']:.1f} s)"
    )
    print(f"Mails pro Sekunde: {counts['sent'] / result['seconds']:.0f}")
    print(f"Spitzen-Speicher des Versandprozesses (max RSS): {result['maxrss_mb']:.0f} MB")
    change = (busy_rate / idle_rate - 1) * 100 if idle_rate else 0.0
    print(
        f"Artikelseite aus dem Seiten-Cache während des Versands: {busy_rate:.0f} Seiten/s "
        f"({busy_count}), {change:+.0f} % gegenüber Leerlauf (Ziel: höchstens −10 %)"
    )


if __name__ == "__main__":
    main()
