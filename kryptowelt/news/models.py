"""The newsroom's models: sections, articles, authors, topics and the index pages of
authors and topics. Over 400 lines because they belong together (an article's purge URLs,
sitemap routes and topic pages read each other); split by model family when it grows."""

import math
import re
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kryptowelt.caching.purge import PURGED_LISTING_PAGES
from kryptowelt.core.blocks import body_blocks, section_header_blocks
from kryptowelt.core.models import BasePage, RoutedPage, pillar_reverse
from kryptowelt.core.text import german_slugify, stream_plain_text, word_count
from kryptowelt.news.admin_forms import ArticlePageForm
from kryptowelt.news.structured_data import news_article_json_ld

WORDS_PER_MINUTE = 200


class Author(index.Indexed, models.Model):
    name = models.CharField(_("Name"), max_length=120)
    slug = models.SlugField(
        _("Kurzname für die Adresse"),
        max_length=120,
        unique=True,
        help_text=_("Erscheint in der Adresse der Autorenseite: /autor/<kurzname>/"),
    )
    role = models.CharField(_("Funktion"), max_length=120, blank=True)
    bio = models.TextField(_("Kurzbiografie"), blank=True)
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("Foto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("Autor/in")
        verbose_name_plural = _("Autorinnen und Autoren")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return pillar_reverse("authors:author", slug=self.slug)


# What the route /thema/<slug>/ accepts. A topic whose slug does not match (empty or not
# ASCII, left by old data or written around the models) is shown without a page, not a 500.
TOPIC_SLUG = "[-a-zA-Z0-9_]+"


class TopicQuerySet(models.QuerySet):
    def with_pages(self):
        return self.filter(slug__regex=f"^{TOPIC_SLUG}$")


class Topic(TagBase):
    """A tag ("Schlagwort"); each has its own page at /thema/<slug>/."""

    description = models.TextField(
        _("Beschreibung"),
        blank=True,
        help_text=_("Optionaler Einleitungstext für die Themenseite."),
    )

    objects = TopicQuerySet.as_manager()
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")

    def slugify(self, tag, i=None):
        slug = german_slugify(tag)[:90] or "thema"
        return f"{slug}-{i}" if i is not None else slug

    @property
    def has_page(self) -> bool:
        return bool(re.fullmatch(TOPIC_SLUG, self.slug or ""))

    def get_absolute_url(self):
        return pillar_reverse("topics:topic", slug=self.slug) if self.has_page else ""


class ArticleTag(ItemBase):
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleAuthor(Orderable):
    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(
        Author, verbose_name=_("Autor/in"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("Autor/in")
        verbose_name_plural = _("Autorinnen und Autoren")


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
    header = StreamField(
        section_header_blocks(),
        verbose_name=_("Kopfbereich"),
        blank=True,
        help_text=_(
            "Optional: Elemente über der Artikelliste, z. B. die Marktbewegungen auf „Trends“."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("gives_tips"),
        FieldPanel("header"),
    ]

    subpage_types = ["news.ArticlePage"]

    class Meta:
        verbose_name = _("Rubrik")
        verbose_name_plural = _("Rubriken")

    def get_search_text(self) -> str:
        return self.intro

    def get_meta_description(self) -> str:
        return self.search_description or self.intro

    def get_listing_urls(self) -> set[str]:
        url = self.get_full_url()
        if not url:
            return set()
        root = settings.SITE_URL.rstrip("/")
        return {
            url,
            *(f"{url}?seite={number}" for number in PURGED_LISTING_PAGES),
            root + reverse("news:section_feed_rss", kwargs={"section_slug": self.slug}),
            root + reverse("news:section_feed_atom", kwargs={"section_slug": self.slug}),
        }


class ArticlePage(BasePage):
    teaser = models.TextField(
        _("Vorspann"),
        max_length=600,
        help_text=_("Ein bis drei Sätze, die den Artikel zusammenfassen (Lead)."),
    )
    hero_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("Aufmacherbild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Alternativtext und Bildnachweis werden am Bild gepflegt."),
    )
    hero_caption = models.CharField(_("Bildunterschrift"), max_length=300, blank=True)
    body = StreamField(body_blocks(), verbose_name=_("Text"))
    tags = ClusterTaggableManager(
        through=ArticleTag,
        blank=True,
        verbose_name=_("Schlagwörter"),
        help_text=_("Themen des Artikels, z. B. Bitcoin, Regulierung, Steuern."),
    )
    updated_at = models.DateTimeField(
        _("Inhaltlich aktualisiert am"),
        null=True,
        blank=True,
        help_text=_(
            "Nur setzen, wenn sich der Inhalt wesentlich geändert hat; wird beim Artikel "
            "als „Aktualisiert“ angezeigt."
        ),
    )
    reading_time = models.PositiveSmallIntegerField(
        _("Lesezeit in Minuten"), default=1, editable=False
    )
    glossary_links = models.BooleanField(
        _("Lexikon-Begriffe verlinken"),
        default=True,
        help_text=_(
            "Verlinkt die erste Erwähnung von Begriffen aus dem Krypto-Lexikon automatisch "
            "mit ihrer Erklärung."
        ),
    )
    most_read_excluded = models.BooleanField(
        _("Nicht in „Meistgelesen“ zeigen"),
        default=False,
        help_text=_(
            "Der Artikel wird weiter gezählt, erscheint aber nicht in den Listen "
            "„Meistgelesen“ (Startseite, Rubriken, API), z. B. bei heiklen Themen."
        ),
    )

    base_form_class = ArticlePageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_caption")],
            heading=_("Aufmacherbild"),
        ),
        FieldPanel("body"),
        InlinePanel("article_authors", label=_("Autorinnen und Autoren"), min_num=1),
        FieldPanel("tags"),
        FieldPanel("updated_at"),
        # "Weitere interessante Artikel": pinned by hand (kryptowelt.related.RelatedPin).
        InlinePanel(
            "related_pins",
            label=_("Weitere interessante Artikel (von Hand, erscheinen zuerst)"),
            help_text=_(
                "Optional. Die übrigen Plätze füllt die automatische Auswahl nach Thema, "
                "Schlagwörtern und Aktualität."
            ),
        ),
        FieldPanel("glossary_links"),
    ]

    promote_panels = [*BasePage.promote_panels, FieldPanel("most_read_excluded")]

    search_newest_first = True  # see BasePage: search ranks the newest matches

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("teaser"),
        index.FilterField("first_published_at"),
    ]

    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Artikel")
        verbose_name_plural = _("Artikel")

    # --- derived values ------------------------------------------------------------------
    def save(self, *args, **kwargs):
        # Stored so listings can show the reading time without rendering every body.
        self.reading_time = max(1, math.ceil(word_count(self.plain_text) / WORDS_PER_MINUTE))
        super().save(*args, **kwargs)

    @property
    def plain_text(self) -> str:
        return f"{self.teaser}\n\n{stream_plain_text(self.body)}"

    @cached_property
    def authors(self):
        # .all() so a prefetch (feeds, listings) is used when present.
        return [item.author for item in self.article_authors.all()]

    @cached_property
    def tag_list(self):
        return list(self.tags.all())

    @cached_property
    def section(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    @property
    def published_at(self):
        return self.first_published_at or self.go_live_at or timezone.now()

    @property
    def modified_at(self):
        return self.updated_at or self.last_published_at or self.published_at

    @property
    def shows_update(self) -> bool:
        """Whether readers see an "Aktualisiert" date: only for real later changes."""
        if self.updated_at:
            return self.updated_at > self.published_at
        return False

    @cached_property
    def gives_tips(self) -> bool:
        """Articles with tips carry the "Keine Anlageberatung" note."""
        section = self.section
        if section is not None and getattr(section, "gives_tips", False):
            return True
        return any(block.block_type == "tip" for block in self.body)

    @cached_property
    def headings(self):
        """The h2 headings, for a table of contents."""
        return [
            {"text": block.value["text"], "anchor": slugify(block.value["text"])[:60]}
            for block in self.body
            if block.block_type == "heading" and block.value["level"] == "h2"
        ]

    # --- search and SEO ------------------------------------------------------------------
    def get_search_text(self) -> str:
        tag_names = " ".join(tag.name for tag in self.tag_list)
        author_names = " ".join(author.name for author in self.authors)
        return f"{self.plain_text} {tag_names} {author_names}"

    def get_meta_description(self) -> str:
        return self.search_description or self.teaser[:300]

    def get_social_image(self):
        return self.social_image or self.hero_image

    def get_og_type(self) -> str:
        return "article"

    def get_json_ld(self, request, extra_crumbs=()) -> list[dict]:
        return [news_article_json_ld(self, request), self.get_breadcrumb_json_ld(request)]

    def get_purge_urls(self) -> set[str]:
        """Besides its section and the home page: the site's feeds and news sitemap, its
        topics with their feeds, and its authors' pages."""
        root = settings.SITE_URL.rstrip("/")
        urls = super().get_purge_urls()
        for name in ("news:feed_rss", "news:feed_atom", "news:news_sitemap"):
            urls.add(root + reverse(name))
        for tag in self.tags.all():
            if not tag.has_page:
                continue
            urls.add(root + tag.get_absolute_url())
            urls.add(root + reverse("news:tag_feed_rss", kwargs={"tag_slug": tag.slug}))
            urls.add(root + reverse("news:tag_feed_atom", kwargs={"tag_slug": tag.slug}))
        for author in self.authors:
            urls.add(root + author.get_absolute_url())
        return urls


class TopicIndexPage(RoutedPage):
    """/thema/: all topics, and every topic's page /thema/<schlagwort>/ with its articles."""

    url_namespace = "topics"
    subpage_routes = (("", "index"), ("<slug:slug>/", "topic"))

    max_count = 1
    subpage_types: list[str] = []
    initial_page_values: ClassVar[dict] = {
        "title": "Themen",
        "slug": "thema",
        "intro": "Alle Schlagwörter unserer Artikel, von A bis Z.",
        "seo_title": "Themen: alle Schlagwörter von A bis Z",
    }

    class Meta:
        verbose_name = _("Themenübersicht")
        verbose_name_plural = _("Themenübersichten")

    def sitemap_routes(self):
        """Every topic with a published article."""
        live_ids = ArticlePage.objects.live().public().values("pk")
        topics = (
            Topic.objects.with_pages()
            .filter(tagged_articles__content_object_id__in=live_ids)
            .distinct()
            .order_by("name")
            .values_list("slug", flat=True)
        )
        return [("topic", {"slug": slug}) for slug in topics]


class AuthorIndexPage(RoutedPage):
    """/autor/: the editorial team, and every author's page /autor/<kurzname>/."""

    url_namespace = "authors"
    subpage_routes = (("", "index"), ("<slug:slug>/", "author"))

    max_count = 1
    subpage_types: list[str] = []
    initial_page_values: ClassVar[dict] = {
        "title": "Redaktion",
        "slug": "autor",
        "intro": "Wer bei Kryptowelt schreibt, und was.",
        "seo_title": "Die Redaktion von Kryptowelt",
    }

    class Meta:
        verbose_name = _("Autorenübersicht")
        verbose_name_plural = _("Autorenübersichten")

    def sitemap_routes(self):
        slugs = Author.objects.order_by("name").values_list("slug", flat=True)
        return [("author", {"slug": slug}) for slug in slugs]
