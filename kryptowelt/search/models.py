from django.contrib.postgres.search import SearchVectorField
from django.db import models
from wagtail.models import Page


class ArchiveEntry(models.Model):
    """An archive page's search vector beside its date of first publication (PostgreSQL only;
    kryptowelt/search/backend.py).

    Search ranks the newest matches of the archive types (`BasePage.search_newest_first`:
    articles). Wagtail's index entries carry no date, so finding the newest thousand matches
    of a word in a few per cent of the articles looked up every match's page (4,700 lookups,
    12 of its 28 ms of SQL at 100,000 articles), and ranking them looked each entry up again.
    Here the date sits on the row the GIN index finds: the matches are read, sorted and ranked
    in one scan of this table. The vector is a copy of the page's Wagtail index entry (`body`),
    written in the same step as it (`PageMemoIndex`)."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="+")
    published_at = models.DateTimeField()
    body = SearchVectorField()

    class Meta:
        # The GIN index on `body` is PostgreSQL's alone: created by the migration there.
        indexes = [
            models.Index(fields=["-published_at", "-page"], name="kw_search_archive_newest"),
        ]

    def __str__(self) -> str:
        return f"Suchindex der Seite {self.page_id}"
