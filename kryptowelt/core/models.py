"""The bottom layer of every page: SEO fields, menu title, breadcrumbs, purge URLs, search
text, and routable pages whose views the apps register (core/page_views.py).

Domain apps build their pages on `BasePage` and `RoutedPage`; nothing here knows them."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.search import index

from kryptowelt.caching.remember import remembered
from kryptowelt.caching.routes import view_restrictions_exist
from kryptowelt.core import page_views
from kryptowelt.core.admin_forms import DraftFriendlyPageForm
from kryptowelt.core.blocks import body_blocks
from kryptowelt.core.destinations import Destination
from kryptowelt.core.scheduling import PeriodicJob  # noqa: F401 - a model of this app
from kryptowelt.core.text import stream_plain_text
from kryptowelt.text import search_stem_text

# While the search backend indexes a page it stores the page's computed search values here
# (kryptowelt/search/backend.py): Wagtail's indexer reads every search field once per index
# column (title, body, autocomplete and their plain texts), which made it stem an article's
# whole text five times. Outside indexing nothing is remembered, so an edited page never
# shows stale stems.
SEARCH_INDEXING_MEMO = "_kw_search_indexing_memo"


class BasePage(Page):
    """What every public page shares: SEO fields, social image, menu title, breadcrumbs, the
    URLs to purge when it changes, and a German-stemmed text for the search index."""

    menu_title = models.CharField(
        _("Titel im Menü"),
        max_length=40,
        blank=True,
        help_text=_("Kurzer Name im Hauptmenü und in den Brotkrumen; leer: der Seitentitel."),
    )
    social_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("Bild für soziale Netzwerke"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional; sonst wird das Hauptbild verwendet."),
    )

    promote_panels = [
        MultiFieldPanel(
            [
                # A draft may leave it empty (the title is typed, not yet left): Wagtail then
                # makes one from the title when it stores the page. Publishing needs one.
                FieldPanel("slug", required_on_save=False),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
                FieldPanel("social_image"),
            ],
            heading=_("Suchmaschinen und soziale Netzwerke"),
        ),
        MultiFieldPanel(
            [FieldPanel("show_in_menus"), FieldPanel("menu_title")],
            heading=_("Hauptmenü"),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("search_stems"),
    ]

    # Drafts save with whatever is filled in; publishing needs everything (core/admin_forms.py).
    base_form_class = DraftFriendlyPageForm

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

    def get_view_restrictions(self):
        if not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_views.context_for(self, request, *args, **kwargs))
        return context

    # --- search ------------------------------------------------------------------------
    def get_search_text(self) -> str:
        """Plain text that search should find this page by, besides its title."""
        return self.search_description or ""

    @property
    def search_stems(self) -> str:
        memo = self.__dict__.get(SEARCH_INDEXING_MEMO)
        if memo is not None and "stems" in memo:
            return memo["stems"]
        stems = search_stem_text(f"{self.title} {self.get_search_text()}")
        if memo is not None:
            memo["stems"] = stems
        return stems

    # Pages whose text says little about what they are (a Lexikon entry: a short definition
    # with its synonyms) rank in search by a match of their title or headwords only; without
    # one they come after the pages whose text matches.
    search_rank_by_title: ClassVar[bool] = False
    # Page types of an archive that grows without bound (articles): when a query matches
    # more than SEARCH_RANKED_NEWEST of them, PostgreSQL search ranks only the newest that
    # many (kryptowelt/search/backend.py), so a common word never ranks the whole archive.
    search_newest_first: ClassVar[bool] = False

    @classmethod
    def search_headwords(cls, ids: Iterable[int]) -> dict[int, list[str]]:
        """Names besides the title that a page is found by as if by its title (pk → names)."""
        return {}

    def get_snippet_text(self) -> str:
        """The text search shows a passage of, under the title."""
        return getattr(self, "plain_text", None) or self.get_search_text()

    def search_destinations(self, *, query: str, stems: list[str]) -> list[Destination]:
        """What this page leads to that `query` names: a coin, a provider, a calculator
        (core/destinations.py). Search lists these before the pages that mention the words."""
        return []

    # --- home page -----------------------------------------------------------------------
    def teaser_links(self) -> list[Destination]:
        """The few places the home page's teaser for this pillar links to."""
        return []

    # --- navigation ----------------------------------------------------------------------
    @property
    def nav_title(self) -> str:
        return self.menu_title or self.title

    @cached_property
    def breadcrumbs(self):
        """Ancestors below the site root, then the page itself (this very object: reading
        its menu title from a deferred copy cost a query on every page)."""
        ancestors = [
            page.specific_deferred for page in self.get_ancestors().filter(depth__gt=1).live()
        ]
        return [*ancestors, self] if self.live and self.depth > 1 else ancestors

    def breadcrumb_items(self, request=None, extra=()) -> list[tuple[str, str]]:
        """(name, URL) from the home page to this page, then `extra` (a routable page's
        sub-route, e.g. a coin below /kurse/)."""
        items = []
        for page in self.breadcrumbs:
            name = _("Startseite") if page.depth <= 2 else getattr(page, "nav_title", page.title)
            items.append((str(name), page.get_url(request)))
        return [*items, *extra]

    # --- SEO ---------------------------------------------------------------------------
    def get_meta_title(self) -> str:
        return self.seo_title or self.title

    def get_meta_description(self) -> str:
        return self.search_description or ""

    def get_social_image(self):
        return self.social_image

    def get_og_type(self) -> str:
        return "website"

    def get_breadcrumb_json_ld(self, request, extra=()) -> dict:
        root = settings.SITE_URL.rstrip("/")
        items = [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": url if url.startswith("http") else root + url,
            }
            for position, (name, url) in enumerate(self.breadcrumb_items(request, extra), 1)
        ]
        return {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": items,
        }

    def get_json_ld(self, request, extra_crumbs=()) -> list[dict]:
        if self.depth <= 2 and not extra_crumbs:
            return []
        return [self.get_breadcrumb_json_ld(request, extra_crumbs)]

    # --- caching proxy ---------------------------------------------------------------------
    def get_listing_urls(self) -> set[str]:
        """URLs of this page that list its children (purged when a child changes)."""
        url = self.get_full_url()
        return {url} if url else set()

    def get_purge_urls(self) -> set[str]:
        """Besides the page itself: every URL that shows or lists it (caching/purge.py)."""
        urls = {settings.SITE_URL.rstrip("/") + reverse("sitemap")}
        for ancestor in self.get_ancestors().filter(depth__gt=1).specific():
            if isinstance(ancestor, BasePage):
                urls |= ancestor.get_listing_urls()
        return urls


def _route_dispatcher(name: str):
    def dispatch(page, request, *args, **kwargs):
        return page_views.view_for(page, name)(request, page, *args, **kwargs)

    dispatch.__name__ = f"route_{name}"
    return dispatch


class RoutedPage(RoutablePageMixin, BasePage):
    """A page that serves several URLs (Wagtail's routable pages), e.g. /kurse/ and every
    /kurse/<coin>/. The model declares its URL patterns in `subpage_routes` as
    (pattern, name); the app's views module answers each name (page_views.route_view)."""

    subpage_routes: ClassVar[tuple[tuple[str, str], ...]] = (("", "index"),)
    # Route names are reversed as "<url_namespace>:<name>" (pillar_reverse, {% pillar_url %}).
    url_namespace: ClassVar[str] = ""

    intro = models.TextField(
        _("Einleitung"),
        blank=True,
        help_text=_("Ein bis zwei Sätze unter der Überschrift."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        abstract = True

    @classmethod
    def get_subpage_urls(cls):
        return tuple(
            path(pattern, _route_dispatcher(name), name=name)
            for pattern, name in cls.subpage_routes
        )

    def sitemap_routes(self) -> Iterable[tuple[str, dict]]:
        """(route name, URL kwargs) of the sub-pages the sitemap lists besides the page."""
        return ()

    def get_sitemap_urls(self, request=None):
        entries = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if not base:
            return entries
        return [
            *entries,
            *(
                {"location": base + self.reverse_subpage(name, kwargs=kwargs)}
                for name, kwargs in self.sitemap_routes()
            ),
        ]

    def route_url(self, name: str, *args, request=None, **kwargs) -> str:
        """The URL of one of this page's routes, e.g. page.route_url("coin", coin_id="…")."""
        return (self.get_url(request) or "") + self.reverse_subpage(name, args=args, kwargs=kwargs)

    def get_meta_description(self) -> str:
        return self.search_description or self.intro

    def get_search_text(self) -> str:
        return f"{self.intro} {self.search_description}"

    @classmethod
    def base_url(cls) -> str:
        """The URL of the (first) live page of this type, "" when there is none."""
        return remembered(
            f"routed-page-url:{cls._meta.label_lower}", cls._base_url_compute, seconds=600
        )

    @classmethod
    def _base_url_compute(cls) -> str:
        page = cls.objects.live().public().order_by("path").first()
        return (page.get_url() or "") if page is not None else ""


@functools.cache
def _routed_page_types() -> dict[str, type[RoutedPage]]:
    """Routable page types by url_namespace (fixed once the apps are loaded)."""
    return {
        model.url_namespace: model
        for model in get_page_models()
        if issubclass(model, RoutedPage) and model.url_namespace
    }


def pillar_reverse(viewname: str, *args, **kwargs) -> str:
    """Like Django's reverse() for the URLs of routable pages: "markets:coin" is the route
    "coin" of the live page whose type has url_namespace "markets". "" while no such page is
    in the tree (an editor deleted it); an unknown name raises NoReverseMatch."""
    namespace, _, name = viewname.partition(":")
    model = _routed_page_types().get(namespace)
    if model is None:
        raise NoReverseMatch(f"Keine routbare Seite für „{namespace}“")
    route = model.get_resolver().reverse(name, *args, **kwargs)
    base = model.base_url()
    return base + route if base else ""


class StandardPage(BasePage):
    """Impressum, Datenschutz, Über uns and similar pages."""

    body = StreamField(body_blocks(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]

    subpage_types = ["core.StandardPage"]

    class Meta:
        verbose_name = _("Inhaltsseite")
        verbose_name_plural = _("Inhaltsseiten")

    def get_search_text(self) -> str:
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


class TaskWorker(models.Model):
    """A background worker's heartbeat (`kryptowelt worker` writes it every few seconds).

    Tells a task whose worker died (killed, out of memory, machine gone) or forgot it from
    one that is still running: `services.task_results_reap_stuck` re-queues the first kind
    only."""

    worker_id = models.CharField(_("Worker-Kennung"), max_length=64, unique=True)
    hostname = models.CharField(_("Rechner"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("Prozessnummer"), null=True)
    started_at = models.DateTimeField(_("Gestartet"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("Zuletzt gesehen"), db_index=True)
    task_id = models.CharField(
        _("Laufende Aufgabe"),
        max_length=64,
        blank=True,
        help_text=_("Die Aufgabe, die der Worker beim letzten Lebenszeichen ausführte."),
    )

    class Meta:
        verbose_name = _("Hintergrund-Worker")
        verbose_name_plural = _("Hintergrund-Worker")

    def __str__(self):
        return self.worker_id
