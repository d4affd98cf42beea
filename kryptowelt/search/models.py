from django.contrib.postgres.search import SearchVectorField
from django.db import models
from wagtail.models import Page


class ArchiveVector(models.Model):
    """An archive page's search vector beside its date of first publication."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="+")
    published_at = models.DateTimeField()
    body = SearchVectorField()

    class Meta:
        abstract = True


class ArchiveEntry(ArchiveVector):
    """An archive page's search vector beside its date of first publication (PostgreSQL only;
    kryptowelt/search/backend.py), for finding the newest matches of words in few articles.

    Search ranks the newest matches of the archive types (`BasePage.search_newest_first`:
    articles). Wagtail's index entries carry no date, so finding the newest thousand matches
    of a word in a few per cent of the articles looked up every match's page (4,700 lookups,
    12 of its 28 ms of SQL at 100,000 articles), and ranking them looked each entry up again.
    Here the date sits on the row the GIN index finds: the matches are read and the newest
    kept in one scan of this narrow table (the vector, several kB, is stored out of line).
    The vector is a copy of the page's Wagtail index entry (`body`), written in the same step
    as it (`PageMemoIndex`). Its GIN index is PostgreSQL's alone: migration 0001 creates it
    there."""

    def __str__(self) -> str:
        return f"Suchindex der Seite {self.page_id}"


class ArchiveWalkEntry(ArchiveVector):
    """The same rows as `ArchiveEntry`, the vector stored in the row, for walking the archive
    newest first (words in many articles).

    Walking `ArchiveEntry`'s dates, testing an article read its vector out of line (the TOAST
    table's index, then its chunks) and ranking it read the vector again: 14 ms of SQL for
    the newest thousand articles with "Anleger", 22 ms for "Steuern" (4 Dec 2026, 100,000
    articles). Here the test and the rank take the vector from the row the date index points
    to: 5.6 and 4.6 ms. Scanning many GIN matches over rows this wide costs more than over
    the narrow table, so each way has its table (`kryptowelt.search.backend._archive_route`).
    Migration 0003 sets the storage (PostgreSQL: `STORAGE MAIN`, `toast_tuple_target`)."""

    class Meta:
        indexes = [
            models.Index(fields=["-published_at", "-page"], name="kw_search_walk_newest"),
        ]

    def __str__(self) -> str:
        return f"Suchindex der Seite {self.page_id} (nach Datum)"
