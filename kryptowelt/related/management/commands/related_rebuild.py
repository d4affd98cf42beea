from django.core.management.base import BaseCommand
from tqdm import tqdm

from kryptowelt.related.services import related_rebuild


class Command(BaseCommand):
    help = (
        "Berechnet „Weitere interessante Artikel“ für alle veröffentlichten Artikel neu "
        "(Index und gespeicherte Listen)."
    )

    def handle(self, *args, **options):
        quiet = options["verbosity"] == 0

        def progress(items, total, label):
            # disable=None: no bar when stderr is not a terminal (logs, cron, CI).
            return tqdm(
                items, total=total, desc=label, unit="Artikel", disable=True if quiet else None
            )

        result = related_rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['articles']} Artikel neu berechnet, {result['rows']} Empfehlungen "
                "gespeichert."
            )
        )
