import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import PageChooserPanel
from wagtail.models import Orderable


class RelatedArticle(models.Model):
    """The stored "Weitere interessante Artikel" list of one article, rank by rank.

    Written by the background task (`services.related_lists_store`); read with one indexed
    query per article page (`selectors.article_related_list`)."""

    article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="related_entries",
    )
    related = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("Empfohlener Artikel"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    rank = models.PositiveSmallIntegerField(_("Rang"))
    score = models.FloatField(_("Bewertung"), default=0.0)
    pinned = models.BooleanField(_("Von Hand gesetzt"), default=False)
    computed_at = models.DateTimeField(_("Berechnet am"), auto_now=True)

    class Meta:
        verbose_name = _("Verwandter Artikel")
        verbose_name_plural = _("Verwandte Artikel")
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["article", "rank"], name="related_article_rank"),
        ]
        indexes = [models.Index(fields=["related"], name="related_related_idx")]

    def __str__(self):
        return f"{self.article_id} → {self.related_id} (#{self.rank})"


class RelatedPin(Orderable):
    """An article an editor puts at the top of the list by hand."""

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="related_pins")
    related = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Erscheint vor den automatisch gewählten Artikeln."),
    )

    panels = [PageChooserPanel("related", page_type="news.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("Von Hand gesetzter Artikel")
        verbose_name_plural = _("Von Hand gesetzte Artikel")


class RelatedIndexState(models.Model):
    """One row: a counter bumped by every change, so that a process holding the engine in
    memory knows whether another process changed articles since it last synchronised."""

    generation = models.PositiveBigIntegerField(default=0)
    # New for every new row: a restored or reset database never matches an old engine.
    token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("Stand des Verwandtschafts-Index")

    def __str__(self):
        return f"Generation {self.generation}"
