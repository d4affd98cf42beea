from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kryptowelt.markets.coingecko.client import CoinGeckoClient
from kryptowelt.markets.services.history import coin_history_sync
from kryptowelt.markets.services.sync import coin_markets_sync, trending_sync


class Command(BaseCommand):
    help = (
        "Holt die Kurse der 250 größten Kryptowährungen (in Euro) und die meistgesuchten Coins "
        "von CoinGecko und speichert sie; mit --history auch den täglichen Kursverlauf. "
        "Schlägt der Abruf fehl, bleiben die gespeicherten Daten unverändert."
    )
    # Run by cron or a benchmark every few minutes: Django's system checks (about a second
    # of CPU, more than the sync itself) belong to deploys (`kryptowelt check`), not to it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--history", action="store_true", help="Auch den Kursverlauf der größten Coins holen."
        )
        parser.add_argument(
            "--coins",
            default="",
            help="Nur diese Coins für den Verlauf (CoinGecko-IDs, durch Komma getrennt).",
        )
        parser.add_argument("--days", default="", help="Tage für den Verlauf (Zahl oder max).")
        parser.add_argument(
            "--pages", type=int, default=1, help="Seiten zu je 250 Coins (Standard: 1)."
        )
        parser.add_argument(
            "--no-logos",
            action="store_true",
            help="Keine Logos herunterladen (sonst im Hintergrund).",
        )

    def handle(self, *args, history, coins, days, pages, no_logos, **options):
        if days and not (days == "max" or (days.isdigit() and 0 < int(days) <= 10000)):
            raise CommandError("--days muss eine Zahl zwischen 1 und 10000 oder „max“ sein.")
        show = options["verbosity"] > 0
        client = CoinGeckoClient.from_settings()
        try:
            # disable=None: no bar when stderr is not a terminal (logs, cron, CI).
            with tqdm(
                total=pages, desc="Kurse", unit="Seite", disable=None if show else True
            ) as bar:
                report = coin_markets_sync(
                    client=client,
                    pages=max(1, pages),
                    logos=not no_logos,
                    progress=lambda done, total: bar.update(1),
                )
            if not report.ok:
                raise CommandError(
                    f"Kurse konnten nicht geladen werden: {report.error}\n"
                    "Die zuletzt gespeicherten Kurse bleiben erhalten."
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Kurse: {report.stored} Coins gespeichert ({report.new_coins} neu), "
                    f"{report.points_added} neue Kurspunkte."
                    + (" Logos werden im Hintergrund geladen." if report.logos_queued else "")
                )
            )
            for reason in report.skipped[:20]:
                self.stdout.write(f"  übersprungen: {reason}")
            if len(report.skipped) > 20:
                self.stdout.write(f"  … und {len(report.skipped) - 20} weitere")
            trending = trending_sync(client=client)
            if trending.ok:
                self.stdout.write(f"Meistgesuchte Coins: {trending.stored}")
            else:
                self.stderr.write(f"Meistgesuchte Coins nicht geladen: {trending.error}")
            if history:
                ids = [c.strip() for c in coins.split(",") if c.strip()] or None
                with tqdm(desc="Verlauf", unit="Coin", disable=None if show else True) as bar:

                    def progress(done, total):
                        bar.total = total
                        bar.update(1)

                    result = coin_history_sync(
                        client=client, coin_ids=ids, days=days or None, progress=progress
                    )
                self.stdout.write(
                    f"Verlauf: {result.stored} Coins, {result.points_added} neue Kurspunkte."
                )
                for reason in result.skipped[:20]:
                    self.stdout.write(f"  übersprungen: {reason}")
                if not result.ok:
                    raise CommandError(f"Verlauf unvollständig: {result.error}")
        finally:
            client.close()
