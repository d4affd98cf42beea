"""Newsletter send benchmark (`make bench-newsletter`). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/newsletter_send.py [--adressen 20000] [--rate R] [--nice N]
        [--kein-idle] [--batch N] [--fenster 10] [--pause 5] [--sekunden 5]

One edition to N synthetic confirmed addresses (example.invalid) through a real SMTP server
on loopback (aiosmtpd, in its own process), sent by the same code the worker runs
(`newsletter.sending.edition_send_run`, in its own process like a worker). Prints mails per
second, the sending process's peak memory (max RSS) and CPU seconds, and the rate of a
cached article page (the app's page cache, Django's test client, no HTTP server) in a third
process while the send runs, against the same rate when idle (issue 17: within 10 %), with
the ratio of the two. "Idle" is measured in windows between the sending ones: the sender is
stopped (SIGSTOP) for `--pause` seconds after every `--fenster` seconds of sending, so a
change of the machine's other load hits both alike (a 20,000 send at 20 mails/s then takes
about 25 instead of 17 minutes; `--pause 0` never stops it and compares with the idle rate
before and after the send instead, which a shared machine's load disturbs more).

Modelled as production runs it:

- the sending process runs at the CPU priority the systemd unit gives the newsletter sender
  (deploy/systemd/kryptowelt-sender.service: `Nice=` 19, `CPUSchedulingPolicy=idle`, i.e.
  SCHED_IDLE; `--nice`, `--kein-idle` override). This benchmark's processes share one cgroup,
  so SCHED_IDLE here stands for what the unit's `CPUWeight=idle` does between the sender's
  and the app's cgroups in production (the kernel divides CPU per cgroup first: nice alone
  would only rank the sender among its own unit's processes);
- at the configured pace: NEWSLETTER_SEND_RATE mails per second, NEWSLETTER_BATCH_SIZE per
  SMTP connection (`--rate 0` = no limit);
- the reader process runs at the app's priority (nice 0, like gunicorn);
- the loopback SMTP server is a stand-in for the mail service, which is not part of our
  stack and in production runs on another machine; so that its CPU does not count against
  the readers here, it runs at the sender's priority too.

Figures taken on a shared or busy machine are indicative only; the ratio busy/idle and the
CPU seconds are disturbed less than the absolute rates.

Uses a throwaway SQLite database under a temporary directory; needs no data from ../shared.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import resource
import signal
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


SENDER_UNIT = ROOT / "deploy" / "systemd" / "kryptowelt-sender.service"


def unit_setting(name: str) -> str:
    """A [Service] setting of the newsletter sender's systemd unit ("" if not set)."""
    match = re.search(rf"^{name}=(\S+)\s*$", SENDER_UNIT.read_text(), re.MULTILINE)
    return match.group(1) if match else ""


def lower_priority(nice: int, idle: bool) -> None:
    """The calling process at the sender unit's priority: nice, and SCHED_IDLE if the unit
    sets CPUSchedulingPolicy=idle. All processes of this benchmark share one cgroup, so this
    models what the unit's CPUWeight=idle does between its cgroup and the app's."""
    os.nice(nice)
    if idle:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_process(port: int, received, ready, nice: int, idle: bool) -> None:
    """A loopback SMTP server that counts what it accepts (it does not parse or keep it).
    A stand-in for the mail service (not our stack): niced like the sender."""
    from aiosmtpd.controller import Controller

    lower_priority(nice, idle)

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


def send_process(
    send_id: int, port: int, rate: float, batch: int, nice: int, idle: bool, results
) -> None:
    lower_priority(nice, idle)  # as kryptowelt-sender.service starts the worker
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    start, cpu = time.perf_counter(), time.process_time()
    counts = edition_send_run(send_id=send_id, rate=rate, batch_size=batch)
    results.put(
        {
            "counts": counts,
            "seconds": time.perf_counter() - start,
            "cpu": time.process_time() - cpu,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "nice": os.nice(0),
            "policy": "SCHED_IDLE" if os.sched_getscheduler(0) == os.SCHED_IDLE else "normal",
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


def reader_process(url: str, stop, counter, results) -> None:
    """Cached article pages as fast as one process can, counted in `counter` (only this
    process writes it), until `stop` is set."""
    client = Client()
    assert client.get(url).status_code == 200  # fills the page cache
    while not stop.is_set():
        response = client.get(url)
        assert response.status_code == 200
        counter.value += 1
    results.put(counter.value)


def interleave(sender, counter, *, send_seconds: float, pause_seconds: float) -> dict:
    """While the sender runs: alternately let it send for `send_seconds` and stop it
    (SIGSTOP) for `pause_seconds`, counting the reader's pages in each kind of window. Slow
    changes of the machine's other load then hit both kinds alike. Returns
    {"send": [pages, seconds], "pause": [pages, seconds]}."""
    windows = {"send": [0, 0.0], "pause": [0, 0.0]}
    sending = True
    while True:
        length = send_seconds if sending else pause_seconds
        pages, started = counter.value, time.perf_counter()
        finished = False
        while time.perf_counter() - started < length:
            if not sender.is_alive():
                finished = True
                break
            time.sleep(0.05)
        window = windows["send" if sending else "pause"]
        window[0] += counter.value - pages
        window[1] += time.perf_counter() - started
        if finished:
            return windows
        if pause_seconds > 0:
            os.kill(sender.pid, signal.SIGSTOP if sending else signal.SIGCONT)
            sending = not sending


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adressen", type=int, default=20000, help="bestätigte Empfänger")
    parser.add_argument(
        "--rate",
        type=float,
        default=settings.KRYPTOWELT_NEWSLETTER_SEND_RATE,
        help="Mails/s (0 = ohne Grenze; Vorgabe: NEWSLETTER_SEND_RATE)",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=settings.KRYPTOWELT_NEWSLETTER_BATCH_SIZE,
        help="Mails je SMTP-Verbindung (Vorgabe: NEWSLETTER_BATCH_SIZE)",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=None,
        help="Nice-Wert des Versandprozesses (Vorgabe: Nice= von kryptowelt-sender.service)",
    )
    parser.add_argument(
        "--kein-idle",
        action="store_true",
        help="ohne SCHED_IDLE (Vorgabe: wie CPUSchedulingPolicy= der Unit)",
    )
    parser.add_argument(
        "--sekunden", type=float, default=5.0, help="Messdauer Leerlauf vorher und nachher"
    )
    parser.add_argument(
        "--fenster", type=float, default=10.0, help="Sekunden Versand je Vergleichsfenster"
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=5.0,
        help="Sekunden angehaltener Versand je Fenster (0 = nie anhalten)",
    )
    args = parser.parse_args()
    if (
        args.adressen < 1
        or args.rate < 0
        or args.batch < 1
        or args.sekunden <= 0
        or args.fenster <= 0
        or args.pause < 0
    ):
        parser.error("Bitte positive Zahlen angeben (--rate 0 = ohne Grenze).")
    nice = int(unit_setting("Nice") or 0) if args.nice is None else args.nice
    idle = unit_setting("CPUSchedulingPolicy") == "idle" and not args.kein_idle
    rate_text = f"{args.rate:g} Mails/s" if args.rate else "ohne Grenze"
    print(
        f"Versand: {args.adressen} Adressen, Tempo {rate_text}, {args.batch} je Verbindung, "
        f"Versandprozess und SMTP-Attrappe mit nice {nice}"
        f"{' und SCHED_IDLE' if idle else ''}, Leser mit nice 0"
    )

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

    idle_before, idle_count = page_rate(url, args.sekunden)
    print(
        f"Artikelseite aus dem Seiten-Cache, Leerlauf vorher: {idle_before:.0f} Seiten/s "
        f"({idle_count})"
    )
    connections.close_all()

    context = multiprocessing.get_context("fork")
    received, ready = context.Value("i", 0), context.Event()
    port = free_port()
    smtp = context.Process(
        target=smtp_process, args=(port, received, ready, nice, idle), daemon=True
    )
    smtp.start()
    ready.wait(10)
    stop, reader_results, send_results = context.Event(), context.Queue(), context.Queue()
    counter = context.RawValue("q", 0)
    reader = context.Process(target=reader_process, args=(url, stop, counter, reader_results))
    sender = context.Process(
        target=send_process, args=(send.pk, port, args.rate, args.batch, nice, idle, send_results)
    )
    reader.start()
    time.sleep(1.0)  # the reader's first (uncached) page
    sender.start()
    windows = interleave(sender, counter, send_seconds=args.fenster, pause_seconds=args.pause)
    result = send_results.get()
    stop.set()
    reader_results.get()
    sender.join()
    reader.join()
    time.sleep(0.5)
    smtp.terminate()

    connections.close_all()
    idle_after, idle_count = page_rate(url, args.sekunden)
    idle_mean = (idle_before + idle_after) / 2
    busy_count, busy_seconds = windows["send"]
    busy_rate = busy_count / busy_seconds if busy_seconds else 0.0
    paused_count, paused_seconds = windows["pause"]
    idle_rate = paused_count / paused_seconds if paused_seconds else idle_mean

    counts = result["counts"]
    print(
        f"Versand: {counts['sent']} gesendet, {counts['failed']} fehlgeschlagen, "
        f"{received.value} vom SMTP-Server angenommen, in {result['seconds']:.1f} s "
        f"(CPU {result['cpu']:.1f} s, nice {result['nice']}, {result['policy']})"
    )
    sending_seconds = max(result["seconds"] - paused_seconds, 1e-9)
    print(
        f"Mails pro Sekunde: {counts['sent'] / sending_seconds:.1f} "
        f"(ohne die {paused_seconds:.0f} s, in denen der Versand für den Vergleich angehalten war)"
    )
    print(f"Spitzen-Speicher des Versandprozesses (max RSS): {result['maxrss_mb']:.0f} MB")
    print(
        f"Artikelseite aus dem Seiten-Cache, Leerlauf nachher: {idle_after:.0f} Seiten/s "
        f"({idle_count}); vorher/nachher im Mittel: {idle_mean:.0f} Seiten/s"
    )
    if paused_seconds:
        print(
            f"Artikelseite, Versand angehalten (Leerlauf, abwechselnd mit dem Versand): "
            f"{idle_rate:.0f} Seiten/s ({paused_count} in {paused_seconds:.0f} s)"
        )
    print(
        f"Artikelseite aus dem Seiten-Cache während des Versands: {busy_rate:.0f} Seiten/s "
        f"({busy_count} in {busy_seconds:.0f} s)"
    )
    ratio = busy_rate / idle_rate if idle_rate else 0.0
    print(
        f"Verhältnis während/Leerlauf: {ratio:.2f} ({(ratio - 1) * 100:+.0f} %; "
        "Ziel: mindestens 0,90, also höchstens −10 %)"
    )


if __name__ == "__main__":
    main()
