"""Writes of „Meistgelesen“: take what nginx logged, add it to the hourly counts, forget
counts older than a week.

Taking the log: its lines are copied to `<log>.pending` (fsynced) and the log is emptied,
re-reading first if nginx wrote more meanwhile; nginx appends (O_APPEND), so its next line
starts the emptied file. A line written in the microseconds between the last size check and
the truncation is lost, an accepted error for a popularity ranking. The pending file is
counted in one transaction and deleted after the commit, so a failure in between counts it
on the next run (a crash right after the commit would count it twice). A lock file keeps
two schedulers from taking the same lines."""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Site

from kryptowelt.caching.purge import urls_purge
from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.news.models import ArticlePage, SectionPage
from kryptowelt.popular.logfile import count_views
from kryptowelt.popular.models import ArticleViews

logger = logging.getLogger("kryptowelt.popular")

KEEP = dt.timedelta(days=8)
TAKE_ATTEMPTS = 100
PATHS_PER_QUERY = 500


@dataclass(frozen=True)
class CountReport:
    lines: int = 0
    views: int = 0  # counted for a published article
    other: int = 0  # counted lines for pages that are no article (home, sections, …)
    skipped: int = 0  # bots, prefetches, errors, redirects, foreign lines


def _take(log: Path, pending: Path) -> None:
    """Append the log's lines to `pending` and empty the log (see the module's docstring)."""
    if not log.exists():
        return
    with log.open("rb") as source, pending.open("ab") as target:
        consumed = 0
        for _ in range(TAKE_ATTEMPTS):
            chunk = source.read()
            if chunk:
                target.write(chunk)
                target.flush()
                os.fsync(target.fileno())
                consumed += len(chunk)
            # Empty the log only when nothing was added since the last read.
            if os.fstat(source.fileno()).st_size == consumed:
                break
        if consumed:
            os.truncate(log, 0)


def _articles_by_path(paths) -> dict[str, int]:
    """Live article ids for site paths ("/neuigkeiten/slug/"), by the default site's tree."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return {}
    root = site.root_page.url_path
    wanted = {root + path.lstrip("/"): path for path in paths}
    found: dict[str, int] = {}
    keys = list(wanted)
    for start in range(0, len(keys), PATHS_PER_QUERY):
        chunk = keys[start : start + PATHS_PER_QUERY]
        for pk, url_path in (
            ArticlePage.objects.live().filter(url_path__in=chunk).values_list("pk", "url_path")
        ):
            found[wanted[url_path]] = pk
    return found


def _store(counts: Counter) -> tuple[int, int]:
    """Add views per (hour, path) to the hourly counts; returns (views stored, other)."""
    ids = _articles_by_path({path for _hour, path in counts})
    per_row: Counter = Counter()
    other = 0
    for (hour, path), number in counts.items():
        if path in ids:
            per_row[(ids[path], hour)] += number
        else:
            other += number
    if not per_row:
        return 0, other
    existing = {
        (row.article_id, row.hour): row.pk
        for row in ArticleViews.objects.filter(
            article_id__in={pk for pk, _ in per_row}, hour__in={hour for _, hour in per_row}
        )
    }
    new = []
    for (pk, hour), number in per_row.items():
        if (pk, hour) in existing:
            ArticleViews.objects.filter(pk=existing[(pk, hour)]).update(views=F("views") + number)
        else:
            new.append(ArticleViews(article_id=pk, hour=hour, views=number))
    ArticleViews.objects.bulk_create(new)
    return sum(per_row.values()), other


def _purge_lists() -> None:
    """The pages that show „Meistgelesen“ leave the caching proxy's cache."""
    urls = set()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        home = site.root_page.specific
        urls |= {url for url in [home.get_full_url()] if url}
        for section in SectionPage.objects.live().public().child_of(home):
            urls |= section.get_listing_urls()
    urls_purge(urls=urls)


def article_views_count(*, log: Path) -> CountReport:
    """Add everything nginx logged since the last run to the hourly counts."""
    log = Path(log)
    pending = log.with_name(log.name + ".pending")
    lock_path = log.with_name(log.name + ".lock")
    if not log.parent.is_dir():
        return CountReport()
    with lock_path.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("Aufrufe werden gerade von einem anderen Prozess gezählt")
            return CountReport()
        _take(log, pending)
        if not pending.exists():
            return CountReport()
        lines = pending.read_text(encoding="utf-8", errors="replace").splitlines()
        counts, skipped = count_views(lines)
        with transaction.atomic():
            views, other = _store(counts)
            if views:
                changed(Scope.POPULAR)
        pending.unlink()
    if views:
        _purge_lists()
    return CountReport(lines=len(lines), views=views, other=other, skipped=skipped)


def article_views_prune(*, now: dt.datetime | None = None) -> int:
    """Forget hourly counts older than the longest period shown (7 days, plus a day)."""
    cutoff = (now or timezone.now()) - KEEP
    deleted, _ = ArticleViews.objects.filter(hour__lt=cutoff).delete()
    return deleted
