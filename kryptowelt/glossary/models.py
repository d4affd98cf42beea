"""Krypto-Lexikon: an A–Z index page at /lexikon/ and one page per term below it.

Terms are Wagtail pages so that editors get drafts, revisions, preview, search and the
sitemap for free; the automatic links in articles are built from the live term pages
(see selectors.term_matcher and linking.py)."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kryptowelt.core.blocks import body_blocks
from kryptowelt.core.destinations import Destination
from kryptowelt.core.models import BasePage
from kryptowelt.core.text import stream_plain_text
from kryptowelt.glossary.content import MAX_SHORT_DEFINITION
from kryptowelt.glossary.structured_data import defined_term_json_ld


def split_lines(text: str) -> list[str]:
    """Non-empty, stripped lines of a multi-line field (variants, sources)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class LexiconIndexPage(BasePage):
    """The A–Z index of all terms (/lexikon/)."""

    intro = models.TextField(
        _("Einleitung"),
        blank=True,
        help_text=_("Ein bis drei Sätze über dem Register."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    subpage_types = ["glossary.LexiconTermPage"]
    max_count = 1

    class Meta:
        verbose_name = _("Krypto-Lexikon")
        verbose_name_plural = _("Krypto-Lexika")

    def get_search_text(self) -> str:
        return self.intro

    def get_meta_description(self) -> str:
        return self.search_description or self.intro

    def teaser_links(self) -> list[Destination]:
        count = LexiconTermPage.objects.child_of(self).live().public().count()
        if not count:
            return []
        return [Destination(f"Alle {count} Begriffe von A bis Z", self.url, str(_("Lexikon")))]


class LexiconTermPage(BasePage):
    """One term of the lexicon (/lexikon/<slug>/)."""

    short_definition = models.CharField(
        _("Kurzdefinition"),
        max_length=MAX_SHORT_DEFINITION,
        help_text=_(
            "Genau ein Satz ohne Formatierung. Erscheint im Register und als Erklärung, "
            "wenn Leser im Artikel auf den verlinkten Begriff zeigen."
        ),
    )
    body = StreamField(
        body_blocks(),
        verbose_name=_("Erklärung"),
        blank=True,
        help_text=_(
            "Die ausführliche Erklärung. Keine Links auf andere Lexikon-Begriffe nötig: "
            "die werden automatisch gesetzt."
        ),
    )
    variants = models.TextField(
        _("Schreibweisen und Synonyme"),
        blank=True,
        help_text=_(
            "Eine pro Zeile, z. B. „Krypto-Wallet“ oder „BTC“. Regelmäßige Endungen "
            "(-s, -n, -en, -e, -es, -er, -ern) werden automatisch erkannt; unregelmäßige "
            "Formen wie „Blöcke“ bitte hier eintragen."
        ),
    )
    case_sensitive = models.BooleanField(
        _("Groß- und Kleinschreibung beachten"),
        default=False,
        help_text=_(
            "Für Abkürzungen und Wörter, die anders geschrieben etwas anderes bedeuten "
            "(z. B. „ETF“, „Spread“). Dann wird nur die exakte Schreibweise verlinkt."
        ),
    )
    autolink = models.BooleanField(
        _("In Artikeln automatisch verlinken"),
        default=True,
        help_text=_("Abschalten für sehr allgemeine Wörter wie „Coin“ oder „Block“."),
    )
    sources = models.TextField(
        _("Quellen"),
        blank=True,
        help_text=_("Eine Adresse (https://…) pro Zeile, z. B. Gesetzestexte oder Aufsicht."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("short_definition"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("variants"), FieldPanel("case_sensitive"), FieldPanel("autolink")],
            heading=_("Automatische Verlinkung"),
        ),
        InlinePanel("related_term_links", label=_("Verwandte Begriffe")),
        InlinePanel("related_article_links", label=_("Passende Artikel")),
        FieldPanel("sources"),
    ]

    search_fields = [*BasePage.search_fields, index.SearchField("short_definition")]

    parent_page_types = ["glossary.LexiconIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Lexikon-Begriff")
        verbose_name_plural = _("Lexikon-Begriffe")

    # --- derived values ------------------------------------------------------------------
    @property
    def variant_list(self) -> list[str]:
        return split_lines(self.variants)

    @property
    def source_list(self) -> list[str]:
        return split_lines(self.sources)

    @cached_property
    def lexicon_index(self) -> LexiconIndexPage | None:
        parent = self.get_parent()
        return parent.specific_deferred if parent is not None else None

    @cached_property
    def related_terms(self) -> list["LexiconTermPage"]:
        ids = [
            link.term_id
            for link in self.related_term_links.all()
            if link.term_id and link.term_id != self.pk
        ]
        pages = {
            page.pk: page
            for page in LexiconTermPage.objects.live().public().filter(pk__in=ids).specific()
        }
        return [pages[pk] for pk in ids if pk in pages]

    # --- validation ----------------------------------------------------------------------
    def clean(self):
        super().clean()
        errors = {}
        short = " ".join((self.short_definition or "").split())
        self.short_definition = short
        if "<" in short or ">" in short:
            errors["short_definition"] = _("Bitte ohne HTML: nur ein schlichter Satz.")
        validate_url = URLValidator(schemes=["http", "https"])
        for line in self.source_list:
            try:
                validate_url(line)
            except ValidationError:
                errors["sources"] = _("„%(line)s“ ist keine gültige Adresse (https://…).") % {
                    "line": line[:80]
                }
                break
        clash = self._spelling_clash()
        if clash:
            errors["variants"] = clash
        if errors:
            raise ValidationError(errors)

    def _spelling_clash(self) -> str:
        """A spelling that already belongs to another term would make links ambiguous."""
        own = {spelling.casefold(): spelling for spelling in [self.title, *self.variant_list]}
        others = LexiconTermPage.objects.exclude(pk=self.pk) if self.pk else LexiconTermPage.objects
        for other in others.only("title", "variants"):
            for spelling in [other.title, *other.variant_list]:
                if spelling.casefold() in own:
                    return _("„%(spelling)s“ ist schon eine Schreibweise von „%(term)s“.") % {
                        "spelling": own[spelling.casefold()],
                        "term": other.title,
                    }
        return ""

    # --- search and SEO ------------------------------------------------------------------
    # Search ranks an entry by its headwords (title and variants), never by how often its
    # short text repeats a word (kryptowelt.search.selectors.page_search).
    search_rank_by_title = True

    @classmethod
    def search_headwords(cls, ids) -> dict[int, list[str]]:
        rows = cls.objects.filter(pk__in=list(ids)).values_list("pk", "variants")
        return {pk: split_lines(variants) for pk, variants in rows}

    def get_search_text(self) -> str:
        return " ".join([*self.variant_list, self.get_snippet_text()])

    def get_snippet_text(self) -> str:
        return f"{self.short_definition} {stream_plain_text(self.body)}"

    def get_meta_title(self) -> str:
        return self.seo_title or f"{self.title} – Erklärung im Krypto-Lexikon"

    def get_meta_description(self) -> str:
        return self.search_description or self.short_definition

    def get_json_ld(self, request, extra_crumbs=()) -> list[dict]:
        return [
            defined_term_json_ld(term=self, request=request),
            *super().get_json_ld(request, extra_crumbs),
        ]


class LexiconRelatedTerm(Orderable):
    page = ParentalKey(LexiconTermPage, on_delete=models.CASCADE, related_name="related_term_links")
    term = models.ForeignKey(
        LexiconTermPage,
        verbose_name=_("Begriff"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("term", page_type="glossary.LexiconTermPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("Verwandter Begriff")
        verbose_name_plural = _("Verwandte Begriffe")


class LexiconRelatedArticle(Orderable):
    page = ParentalKey(
        LexiconTermPage, on_delete=models.CASCADE, related_name="related_article_links"
    )
    article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Vor den automatisch gefundenen Artikeln (gleiches Schlagwort) angezeigt."),
    )

    panels = [PageChooserPanel("article", page_type="news.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("Passender Artikel")
        verbose_name_plural = _("Passende Artikel")
