"""The periodic job of „Meistgelesen“ (settings.KRYPTOWELT_PERIODIC_JOBS)."""

import logging
from pathlib import Path

from django.conf import settings

from kryptowelt.popular.services import article_views_count, article_views_prune

logger = logging.getLogger("kryptowelt.popular")


def count_article_views():
    """Every few minutes: add nginx's view log to the hourly counts, forget old ones."""
    report = article_views_count(log=Path(settings.KRYPTOWELT_VIEWS_LOG))
    pruned = article_views_prune()
    if report.lines or pruned:
        logger.info(
            "Meistgelesen: %s Zeilen, %s Artikelaufrufe gezählt, %s übrige Seiten, "
            "%s nicht gezählt (Bots, Vorabrufe, Fehler); %s alte Stundenwerte gelöscht",
            report.lines,
            report.views,
            report.other,
            report.skipped,
            pruned,
        )
