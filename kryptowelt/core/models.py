from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from kryptowelt.core.blocks import body_blocks
from kryptowelt.search.analysis import stem_text


class BasePage(Page):
    """What every public page shares: SEO fields, social image, breadcrumbs, and a
    German-stemmed text for the search index (see kryptowelt.search)."""

    social_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("Bild für soziale Netzwerke"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional; sonst wird das Hauptbild verwendet."),
    )

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        from kryptowelt.core.routing import view_restrictions_exist

        if not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
                FieldPanel("social_image"),
            ],
            heading=_("Suchmaschinen und soziale Netzwerke"),
        ),
        FieldPanel("show_in_menus"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("search_stems"),
    ]

    class Meta:
        abstract = True

    @classmethod
    def get_search_fields(cls):
        """What the search backend indexes: everything but the raw title.

        The title is searched through its stems (`search_stems`), and the search view ranks
        title matches first itself (kryptowelt.search.selectors). Indexed as a title, it
        would be multiplied by the SQLite backend's title-length norm, so any page with a
        very short title ("Über uns", "ETF") would top searches that merely mention the word.
        The title stays an autocomplete field for the admin's page search."""
        return [
            field
            for field in super().get_search_fields()
            if not (type(field) is index.SearchField and field.field_name == "title")
        ]

    # --- search ------------------------------------------------------------------------
    def get_search_text(self) -> str:
        """Plain text that search should find this page by, besides its title."""
        return self.search_description or ""

    @property
    def search_stems(self) -> str:
        return stem_text(f"{self.title} {self.get_search_text()}")

    # --- SEO ---------------------------------------------------------------------------
    def get_meta_title(self) -> str:
        return self.seo_title or self.title

    def get_meta_description(self) -> str:
        return self.search_description or ""

    def get_social_image(self):
        return self.social_image

    def get_og_type(self) -> str:
        return "website"

    @cached_property
    def breadcrumbs(self):
        """Ancestors below the site root, then the page itself."""
        return [
            page.specific_deferred
            for page in self.get_ancestors(inclusive=True).filter(depth__gt=1).live()
        ]

    def get_breadcrumb_json_ld(self, request) -> dict:
        items = []
        for position, page in enumerate(self.breadcrumbs, start=1):
            items.append(
                {
                    "@type": "ListItem",
                    "position": position,
                    "name": page.title if page.depth > 2 else "Startseite",
                    "item": page.get_full_url(request),
                }
            )
        return {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": items,
        }

    def get_json_ld(self, request) -> list[dict]:
        return [self.get_breadcrumb_json_ld(request)] if self.depth > 2 else []


def paginate(request, items, per_page: int):
    """Paginate with `?seite=N`; an invalid or out-of-range page is a 404, not a 500."""
    paginator = Paginator(items, per_page)
    number = request.GET.get("seite", "1")
    try:
        return paginator.page(number)
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404(_("Diese Seite gibt es nicht.")) from exc


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

    class Meta:
        verbose_name = _("Startseite")
        verbose_name_plural = _("Startseiten")

    def get_context(self, request, *args, **kwargs):
        from kryptowelt.news.selectors import home_page_content

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_content(home=self))
        return context

    def get_json_ld(self, request) -> list[dict]:
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


class SectionPage(BasePage):
    """A section of the site (Neuigkeiten, Trends, Tipps, Wissen) listing its articles."""

    intro = models.TextField(_("Einleitung"), blank=True)
    gives_tips = models.BooleanField(
        _("Ratgeber-Rubrik"),
        default=False,
        help_text=_(
            "Artikel dieser Rubrik geben Tipps und zeigen den Hinweis „Keine Anlageberatung“."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("gives_tips")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["news.ArticlePage"]

    class Meta:
        verbose_name = _("Rubrik")
        verbose_name_plural = _("Rubriken")

    def get_search_text(self) -> str:
        return self.intro

    def get_meta_description(self) -> str:
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        from kryptowelt.news.selectors import article_list

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(
            request, article_list(section=self), settings.KRYPTOWELT_ARTICLES_PER_PAGE
        )
        return context


class StandardPage(BasePage):
    """Impressum, Datenschutz, Über uns and similar pages."""

    body = StreamField(body_blocks(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]

    parent_page_types = ["core.HomePage", "core.StandardPage"]
    subpage_types = ["core.StandardPage"]

    class Meta:
        verbose_name = _("Inhaltsseite")
        verbose_name_plural = _("Inhaltsseiten")

    def get_search_text(self) -> str:
        from kryptowelt.core.text import stream_plain_text

        return stream_plain_text(self.body)


@register_setting(icon="site")
class PortalSettings(BaseGenericSetting):
    """Links every page shows in its footer, chosen by the editors."""

    impressum_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Impressum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Datenschutz"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    about_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Über uns"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    disclaimer = models.TextField(
        _("Risikohinweis"),
        default=(
            "Keine Anlageberatung: Die Inhalte dienen der Information und sind keine "
            "Empfehlung zum Kauf oder Verkauf von Kryptowerten. Kryptowerte sind sehr "
            "schwankungsanfällig; ein Totalverlust ist möglich."
        ),
    )

    panels = [
        PageChooserPanel("impressum_page"),
        PageChooserPanel("privacy_page"),
        PageChooserPanel("about_page"),
        FieldPanel("disclaimer"),
    ]

    class Meta:
        verbose_name = _("Portal-Einstellungen")
