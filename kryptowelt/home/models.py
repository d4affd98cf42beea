"""The home page: the root of the site, above every pillar it leads to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.models import Page

from kryptowelt.core.models import BasePage


class HomePage(BasePage):
    intro = models.TextField(
        _("Einleitung"),
        blank=True,
        help_text=_("Ein kurzer Text unter dem Seitennamen (optional)."),
    )
    lead_article = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Aufmacher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Der große Artikel oben. Leer lassen für den neuesten Artikel."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        PageChooserPanel("lead_article", page_type="news.ArticlePage"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    # Every pillar of the portal hangs directly below the home page; the main menu lists
    # those marked "Im Menü anzeigen", in the order of the page tree.
    subpage_types = [
        "news.SectionPage",
        "markets.MarketsIndexPage",
        "comparisons.ComparisonIndexPage",
        "calculators.CalculatorIndexPage",
        "glossary.LexiconIndexPage",
        "guides.GuideIndexPage",
        "news.TopicIndexPage",
        "news.AuthorIndexPage",
        "newsletter.NewsletterIndexPage",
        "core.StandardPage",
        "alerts.PriceAlertPage",
    ]

    class Meta:
        verbose_name = _("Startseite")
        verbose_name_plural = _("Startseiten")

    def get_json_ld(self, request, extra_crumbs=()) -> list[dict]:
        site_url = self.get_full_url(request)
        return [
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": settings.KRYPTOWELT_PUBLISHER_NAME,
                "alternateName": self.title,
                "url": site_url,
                "inLanguage": "de-DE",
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": f"{site_url.rstrip('/')}/suche/?q={{search_term_string}}",
                    "query-input": "required name=search_term_string",
                },
            }
        ]
