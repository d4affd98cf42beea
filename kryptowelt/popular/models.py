from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleViews(models.Model):
    """How often an article was read in one hour (views counted by nginx; no reader data)."""

    article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="hourly_views",
    )
    hour = models.DateTimeField(_("Stunde (Beginn, UTC)"))
    views = models.PositiveIntegerField(_("Aufrufe"), default=0)

    class Meta:
        verbose_name = _("Aufrufe je Stunde")
        verbose_name_plural = _("Aufrufe je Stunde")
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="popular_article_hour_unique")
        ]
        indexes = [models.Index(fields=["hour"], name="popular_views_hour_idx")]

    def __str__(self):
        return f"{self.article_id} {self.hour:%Y-%m-%d %H} Uhr: {self.views}"
