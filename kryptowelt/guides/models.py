"""Ratgeber: guides made of ordered chapter pages (/ratgeber/<guide>/<chapter>/).

The order of the chapters is their order in the page tree, so editors rearrange them by
drag and drop in the admin."""

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from kryptowelt.core.blocks import PARAGRAPH_FEATURES, SanitizedRichTextBlock, body_blocks
from kryptowelt.core.destinations import Destination
from kryptowelt.core.models import BasePage
from kryptowelt.core.text import html_to_text, stream_plain_text
from kryptowelt.guides.structured_data import faq_page_json_ld


class FAQBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Frage"), max_length=250)
    answer = SanitizedRichTextBlock(label=_("Antwort"), features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "help"
        label = _("Frage und Antwort")
        template = "guides/blocks/faq_item.html"
        description = _("Erscheint im FAQ-Bereich und für Suchmaschinen als FAQ (JSON-LD).")
        preview_value = {
            "question": "Muss ich einen ganzen Bitcoin kaufen?",
            "answer": "<p>Nein. Ein Bitcoin lässt sich in 100 Millionen Satoshi teilen.</p>",
        }


class GuideIndexPage(BasePage):
    """All guides (/ratgeber/)."""

    intro = models.TextField(_("Einleitung"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    subpage_types = ["guides.GuidePage"]
    max_count = 1

    class Meta:
        verbose_name = _("Ratgeber-Übersicht")
        verbose_name_plural = _("Ratgeber-Übersichten")

    def get_search_text(self) -> str:
        return self.intro

    def get_meta_description(self) -> str:
        return self.search_description or self.intro

    def teaser_links(self) -> list[Destination]:
        guides = GuidePage.objects.child_of(self).live().public().order_by("path")
        return [Destination(guide.title, guide.url, str(_("Ratgeber"))) for guide in guides]


class GuidePage(BasePage):
    """A guide: introduction, chapter list and FAQ."""

    teaser = models.TextField(
        _("Vorspann"),
        max_length=400,
        help_text=_("Ein bis zwei Sätze für Übersichten und Suchmaschinen."),
    )
    intro = RichTextField(_("Einleitung"), features=PARAGRAPH_FEATURES, blank=True)
    faq = StreamField(
        [("faq", FAQBlock())],
        verbose_name=_("Häufige Fragen"),
        blank=True,
        help_text=_("Fragen und Antworten am Ende der Ratgeber-Seite."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        FieldPanel("intro"),
        FieldPanel("faq"),
    ]

    parent_page_types = ["guides.GuideIndexPage"]
    subpage_types = ["guides.ChapterPage"]

    class Meta:
        verbose_name = _("Ratgeber")
        verbose_name_plural = _("Ratgeber")

    def get_search_text(self) -> str:
        return f"{self.teaser} {html_to_text(self.intro)} {stream_plain_text(self.faq)}"

    def get_meta_description(self) -> str:
        return self.search_description or self.teaser

    def get_json_ld(self, request, extra_crumbs=()) -> list[dict]:
        data = super().get_json_ld(request, extra_crumbs)
        faq = faq_page_json_ld(guide=self)
        return [faq, *data] if faq else data


class ChapterPage(BasePage):
    """One chapter of a guide."""

    teaser = models.TextField(
        _("Vorspann"),
        max_length=400,
        help_text=_("Worum es in diesem Kapitel geht, in ein bis zwei Sätzen."),
    )
    body = StreamField(body_blocks(), verbose_name=_("Text"))
    glossary_links = models.BooleanField(
        _("Lexikon-Begriffe verlinken"),
        default=True,
        help_text=_(
            "Verlinkt die erste Erwähnung von Begriffen aus dem Krypto-Lexikon automatisch."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        FieldPanel("body"),
        FieldPanel("glossary_links"),
    ]

    parent_page_types = ["guides.GuidePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Kapitel")
        verbose_name_plural = _("Kapitel")

    @cached_property
    def guide(self) -> GuidePage | None:
        parent = self.get_parent()
        return parent.specific if parent is not None else None

    @cached_property
    def gives_tips(self) -> bool:
        return any(block.block_type == "tip" for block in self.body)

    def get_search_text(self) -> str:
        return f"{self.teaser} {stream_plain_text(self.body)}"

    def get_meta_description(self) -> str:
        return self.search_description or self.teaser

    def get_og_type(self) -> str:
        return "article"
