"""Newsletter data: lists, subscribers (only what proof of consent needs), the newsletter
page with its archive, editions as pages, and the per-recipient delivery log.

What a subscriber row holds is deliberately minimal (docs/newsletter.md): the address, its
lists, when it was requested and when it was confirmed. No IP address, no browser, no opens
or clicks. Deliveries keep a keyed fingerprint of the address instead of the address, so
that a send can resume without sending twice and a bounce can be recorded."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from kryptowelt.core import page_views
from kryptowelt.core.models import BasePage, RoutedPage

ADDRESS_MAX_LENGTH = 254  # RFC 5321: the longest address a mail server must accept


class NewsletterList(models.Model):
    """A list readers can subscribe to: "Täglicher Überblick", "Wochenrückblick" or a topic."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    description = models.CharField(
        _("Beschreibung"),
        max_length=200,
        blank=True,
        help_text=_("Ein Satz neben dem Ankreuzfeld im Anmeldeformular."),
    )
    section = models.ForeignKey(
        "news.SectionPage",
        verbose_name=_("Rubrik"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: eine Themenliste zu dieser Rubrik."),
    )
    topic = models.ForeignKey(
        "news.Topic",
        verbose_name=_("Thema"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: eine Themenliste zu diesem Schlagwort."),
    )
    active = models.BooleanField(
        _("Im Anmeldeformular"),
        default=True,
        help_text=_("Nur aktive Listen können Leserinnen und Leser wählen."),
    )
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    panels: ClassVar[list] = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("section"),
        FieldPanel("topic"),
        FieldPanel("active"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ("sort_order", "name")
        verbose_name = _("Newsletter-Liste")
        verbose_name_plural = _("Newsletter-Listen")

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    """One address and the proof of its consent; deleted when the reader unsubscribes."""

    address = models.EmailField(_("E-Mail-Adresse"), max_length=ADDRESS_MAX_LENGTH, unique=True)
    lists = models.ManyToManyField(NewsletterList, verbose_name=_("Listen"), blank=True)
    requested_at = models.DateTimeField(_("Angefordert am"))
    confirmed_at = models.DateTimeField(_("Bestätigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Abonnent")
        verbose_name_plural = _("Abonnenten")

    def __str__(self) -> str:
        return self.address


class NewsletterIndexPage(RoutedPage):
    """/newsletter/: the sign-up form, the archive of sent editions and their feed, and the
    reader's links from the mails (confirm, unsubscribe, "Meine Daten")."""

    url_namespace = "newsletter"
    subpage_routes = (
        ("", "index"),
        ("anmelden/", "subscribe"),
        ("angemeldet/", "subscribed"),
        ("bestaetigen/<str:token>/", "confirm"),
        ("abmelden/<str:token>/", "unsubscribe"),
        ("daten/<str:token>/", "data"),
        ("feed/atom/", "feed_atom"),
        ("feed/rss/", "feed_rss"),
    )
    max_count = 1
    subpage_types: ClassVar[list[str]] = ["newsletter.NewsletterEdition"]
    initial_page_values: ClassVar[dict] = {
        "title": "Newsletter",
        "slug": "newsletter",
        "intro": (
            "Das Wichtigste aus der Kryptowelt per E-Mail – ohne Tracking, jederzeit mit einem "
            "Klick abbestellbar."
        ),
    }

    class Meta:
        verbose_name = _("Newsletter-Seite")
        verbose_name_plural = _("Newsletter-Seiten")

    def get_listing_urls(self) -> set[str]:
        url = self.get_full_url()
        return {url, url + "feed/atom/", url + "feed/rss/"} if url else set()


DIGEST_CHOICES = [
    ("", _("Nein – nur die ausgewählten Artikel")),
    ("tag", _("Tagesüberblick: die wichtigsten Artikel der letzten 24 Stunden")),
    ("woche", _("Wochenrückblick: die wichtigsten Artikel der letzten 7 Tage")),
]


class NewsletterEdition(BasePage):
    """An edition: intro, chosen articles or the automatic overview, the list it goes to.

    Published, it waits for its send time (or the admin's "Jetzt senden"); only a sent
    edition is visible to readers, as a page of the archive."""

    intro = RichTextField(
        _("Einleitung"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Ein paar Sätze der Redaktion oben in der E-Mail."),
    )
    articles = StreamField(
        [
            (
                "artikel",
                blocks.PageChooserBlock(
                    target_model="news.ArticlePage", label=_("Artikel"), icon="doc-full"
                ),
            )
        ],
        verbose_name=_("Artikel"),
        blank=True,
        help_text=_("Von Hand gewählte Artikel, in dieser Reihenfolge."),
    )
    digest = models.CharField(
        _("Automatischer Überblick"),
        max_length=10,
        choices=DIGEST_CHOICES,
        default="",
        blank=True,
        help_text=_(
            "Ergänzt die gewählten Artikel um die meistgelesenen und neuesten Artikel des "
            "Zeitraums und die größten Kursbewegungen."
        ),
    )
    newsletter_list = models.ForeignKey(
        NewsletterList,
        verbose_name=_("Liste"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="editions",
        help_text=_("Wer die Ausgabe erhält: die bestätigten Abonnenten dieser Liste."),
    )
    send_at = models.DateTimeField(
        _("Versandzeitpunkt"),
        null=True,
        blank=True,
        help_text=_(
            "Leer: Versand nur über „Jetzt senden“. Sonst geht die veröffentlichte Ausgabe "
            "zu diesem Zeitpunkt hinaus."
        ),
    )

    content_panels: ClassVar[list] = [
        *Page.content_panels,
        FieldPanel("newsletter_list"),
        FieldPanel("intro"),
        FieldPanel("articles"),
        FieldPanel("digest"),
        FieldPanel("send_at"),
    ]
    parent_page_types: ClassVar[list[str]] = ["newsletter.NewsletterIndexPage"]
    subpage_types: ClassVar[list[str]] = []
    preview_modes: ClassVar[list] = [("", _("Webseite")), ("email", _("Als E-Mail"))]

    class Meta:
        verbose_name = _("Newsletter-Ausgabe")
        verbose_name_plural = _("Newsletter-Ausgaben")

    def get_meta_description(self) -> str:
        return self.search_description or f"Newsletter-Ausgabe „{self.title}“ von Kryptowelt."

    def serve_preview(self, request, mode_name):
        if mode_name == "email":
            return page_views.view_for(self, "email_preview")(request, self)
        return super().serve_preview(request, mode_name)

    @classmethod
    def get_indexed_objects(cls):
        # Site search finds an edition only once it was sent: before, its page answers 404.
        # The send indexes it when it finishes (sending.edition_send_run).
        return super().get_indexed_objects().filter(send__finished_at__isnull=False)

    def get_sitemap_urls(self, request=None):
        # Only a sent edition is public (views.py answers 404 before).
        if not EditionSend.objects.filter(edition=self, finished_at__isnull=False).exists():
            return []
        return super().get_sitemap_urls(request)


class EditionSend(models.Model):
    """The send of one edition: what it contained (frozen when the send starts, so the
    archive shows what readers got) and how far it is. Kept outside the page's revisions."""

    edition = models.OneToOneField(
        NewsletterEdition,
        verbose_name=_("Ausgabe"),
        on_delete=models.CASCADE,
        related_name="send",
    )
    subject = models.CharField(_("Betreff"), max_length=255)
    article_ids = models.JSONField(_("Artikel"), default=list)
    market_moves = models.JSONField(_("Kursbewegungen"), default=list)
    requested_by = models.CharField(_("Ausgelöst von"), max_length=150, blank=True)
    started_at = models.DateTimeField(_("Begonnen"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Abgeschlossen"), null=True, blank=True)
    # A running send renews this lease; a send whose lease ran out died and may be resumed.
    lease_until = models.DateTimeField(_("Sperre bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Versand")
        verbose_name_plural = _("Versände")

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One recipient of one send: claimed before the mail goes out, so a resumed send never
    mails an address twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wartet")
        SENDING = "sending", _("Wird gesendet")
        SENT = "sent", _("Gesendet")
        FAILED = "failed", _("Fehlgeschlagen")
        SKIPPED = "skipped", _("Abgemeldet")
        BOUNCED = "bounced", _("Unzustellbar")

    send = models.ForeignKey(EditionSend, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address_key = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("send", "address_key"), name="delivery_once"),
        )
        indexes = (models.Index(fields=("send", "status")),)
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")

    def __str__(self) -> str:
        return f"{self.send_id}:{self.address_key[:8]} {self.status}"
