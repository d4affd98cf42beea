"""Providers and their sourced figures, edited as Wagtail snippets with drafts and revisions;
imported snapshots of ESMA's MiCA register.

About 440 lines: Django expects an app's models in one module, and the four models here are
read together (a provider's MiCA status comes from its figures or the register)."""

import re
from typing import ClassVar

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, Orderable, PreviewableMixin, RevisionMixin
from wagtail.search import index

from kryptowelt.caching.remember import remembered
from kryptowelt.comparisons import figures
from kryptowelt.comparisons.admin_forms import ProviderAdminForm
from kryptowelt.comparisons.destinations import (
    comparison_destinations,
    kind_destinations,
    provider_destinations,
)
from kryptowelt.comparisons.facts import Fact, FactSet
from kryptowelt.comparisons.fees import BROKER, NO_TRADING, ORDERBOOK
from kryptowelt.comparisons.kinds import KINDS
from kryptowelt.comparisons.mica_register import RegisterRow
from kryptowelt.core import page_views
from kryptowelt.core.destinations import Destination
from kryptowelt.core.formatting import to_decimal
from kryptowelt.core.models import RoutedPage, pillar_reverse

KIND_FIELDS = (
    ("kind_exchange", "boerse", "Krypto-Börse"),
    ("kind_broker", "broker", "Broker/Neobroker"),
    ("kind_wallet_hardware", "wallet-hardware", "Hardware-Wallet"),
    ("kind_wallet_software", "wallet-software", "Software-Wallet"),
    ("kind_sparplan", "sparplan", "Sparplan"),
    ("kind_staking", "staking", "Staking"),
)

http_url = URLValidator(
    schemes=["http", "https"], message=_("Bitte eine gültige Adresse (https://…) angeben.")
)
LEI = re.compile(r"^[A-Z0-9]{20}$")


def split_leis(value: str) -> list[str]:
    return [item.strip().upper() for item in re.split(r"[,;\s]+", value or "") if item.strip()]


def validate_leis(value: str) -> None:
    wrong = [item for item in split_leis(value) if not LEI.match(item)]
    if wrong:
        raise ValidationError(
            _("Eine LEI besteht aus 20 Großbuchstaben und Ziffern: %(wrong)s"),
            params={"wrong": ", ".join(wrong)},
        )


class GermanDecimalField(models.DecimalField):
    """A decimal that editors type the German way ("0,25"); "0.25" is understood as well."""

    def formfield(self, **kwargs):
        kwargs.setdefault("localize", True)
        return super().formfield(**kwargs)


class ProviderQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live=True)


class Provider(DraftStateMixin, RevisionMixin, PreviewableMixin, index.Indexed, ClusterableModel):
    """A crypto exchange, broker, wallet or savings-plan provider in the comparisons."""

    name = models.CharField(_("Name"), max_length=120)
    slug = models.SlugField(
        _("Kurzname für die Adresse"),
        max_length=80,
        unique=True,
        help_text=_("Erscheint in der Adresse: /vergleich/anbieter/<kurzname>/"),
    )
    kind_exchange = models.BooleanField(_("Krypto-Börse"), default=False)
    kind_broker = models.BooleanField(_("Broker/Neobroker"), default=False)
    kind_wallet_hardware = models.BooleanField(_("Hardware-Wallet"), default=False)
    kind_wallet_software = models.BooleanField(_("Software-Wallet"), default=False)
    kind_sparplan = models.BooleanField(_("Sparplan-Anbieter"), default=False)
    kind_staking = models.BooleanField(_("Staking-Anbieter"), default=False)
    pricing = models.CharField(
        _("Preismodell für den Kostenrechner"),
        max_length=20,
        choices=[
            (ORDERBOOK, _("Börse mit Orderbuch (Taker-Gebühr)")),
            (BROKER, _("Broker stellt den Kurs (Provision + Spread)")),
            (NO_TRADING, _("Kein Handel (z. B. Hardware-Wallet)")),
        ],
        default=BROKER,
        help_text=_(
            "Bestimmt, welche Gebühren der Kostenrechner braucht: Börse = Taker-Gebühr; "
            "Broker = Provision und Spread des Anbieters."
        ),
    )
    company = models.CharField(
        _("Gesellschaft"),
        max_length=200,
        blank=True,
        help_text=_("Die Gesellschaft, die Kundinnen und Kunden in Deutschland bedient."),
    )
    country = models.CharField(_("Sitzland"), max_length=80, blank=True)
    website = models.URLField(_("Website"), blank=True, validators=[http_url])
    affiliate_url = models.URLField(
        _("Partnerlink (Anzeige)"),
        blank=True,
        validators=[http_url],
        help_text=_(
            "Nur bei einer Partnerschaft ausfüllen. Der Link wird als „Anzeige“ gekennzeichnet "
            'und mit rel="sponsored" ausgegeben; Score und Reihenfolge hängen nicht davon ab.'
        ),
    )
    summary = models.TextField(
        _("Kurzbeschreibung"), blank=True, help_text=_("Zwei bis drei neutrale Sätze.")
    )
    pros = models.TextField(_("Vorteile"), blank=True, help_text=_("Ein Punkt pro Zeile."))
    cons = models.TextField(_("Nachteile"), blank=True, help_text=_("Ein Punkt pro Zeile."))
    apps = models.CharField(
        _("Apps und Zugänge"),
        max_length=200,
        blank=True,
        help_text=_("Redaktionelle Angabe, z. B. „iOS, Android, Web“; fließt nicht in den Score."),
    )
    fee_note = models.TextField(
        _("Hinweis zu den Gebühren"),
        blank=True,
        help_text=_("Erläuterung für Leserinnen und Leser, z. B. welches Produkt verglichen wird."),
    )
    mica_lei = models.CharField(
        _("LEI im MiCA-Register"),
        max_length=200,
        blank=True,
        validators=[validate_leis],
        help_text=_(
            "Legal Entity Identifier der Gesellschaft(en), die Kundinnen und Kunden in "
            "Deutschland bedienen, durch Kommas getrennt (Spalte „ae_lei“ im ESMA-Register). "
            "Ist ein Register importiert, gilt für die MiCA-Zulassung dessen Stand."
        ),
    )

    base_form_class = ProviderAdminForm

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("company"),
                FieldPanel("country"),
                FieldPanel("mica_lei"),
            ],
            heading=_("Anbieter"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind_exchange"), FieldPanel("kind_broker")]),
                FieldRowPanel(
                    [FieldPanel("kind_wallet_hardware"), FieldPanel("kind_wallet_software")]
                ),
                FieldRowPanel([FieldPanel("kind_sparplan"), FieldPanel("kind_staking")]),
                FieldPanel("pricing"),
            ],
            heading=_("Art des Angebots"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("summary"),
                FieldPanel("pros"),
                FieldPanel("cons"),
                FieldPanel("apps"),
                FieldPanel("fee_note"),
            ],
            heading=_("Texte"),
        ),
        InlinePanel(
            "figures",
            heading=_("Belegte Angaben"),
            label=_("Angabe"),
            help_text=_(
                "Jede Zahl mit Quelle (Adresse) und Prüfdatum. Angaben ohne Quelle erscheinen "
                "als „nicht geprüft“ und zählen weder für Kosten noch für den Score."
            ),
        ),
        MultiFieldPanel([FieldPanel("website"), FieldPanel("affiliate_url")], heading=_("Links")),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("company"),
    ]

    objects = ProviderQuerySet.as_manager()
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="provider")

    @property
    def revisions(self):
        return self._revisions

    class Meta:
        ordering = ["name"]
        verbose_name = _("Anbieter")
        verbose_name_plural = _("Anbieter")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return pillar_reverse("comparisons:provider", slug=self.slug)

    def clean(self):
        super().clean()
        if not any(getattr(self, field) for field, _slug, _label in KIND_FIELDS):
            raise ValidationError(_("Bitte mindestens eine Art des Angebots wählen."))

    # --- derived ---------------------------------------------------------------------------
    @property
    def kinds(self) -> list[str]:
        return [slug for field, slug, _label in KIND_FIELDS if getattr(self, field)]

    @property
    def kind_labels(self) -> list[str]:
        return [label for field, _slug, label in KIND_FIELDS if getattr(self, field)]

    @property
    def is_wallet(self) -> bool:
        return (self.kind_wallet_hardware or self.kind_wallet_software) and not (
            self.kind_exchange or self.kind_broker
        )

    @property
    def pros_list(self) -> list[str]:
        return [line.strip() for line in self.pros.splitlines() if line.strip()]

    @property
    def cons_list(self) -> list[str]:
        return [line.strip() for line in self.cons.splitlines() if line.strip()]

    @property
    def leis(self) -> list[str]:
        return split_leis(self.mica_lei)

    @cached_property
    def facts(self) -> FactSet:
        return FactSet(figure.as_fact() for figure in self.figures.all())

    # --- preview ---------------------------------------------------------------------------
    def get_preview_template(self, request, mode_name):
        return "comparisons/provider_detail.html"

    def get_preview_context(self, request, mode_name):
        # What the provider page shows, registered by comparisons/views.py.
        return page_views.context_for(self, request)


class ProviderFigure(Orderable):
    """One sourced figure of a provider: value, source address, check date, note."""

    provider = ParentalKey(Provider, on_delete=models.CASCADE, related_name="figures")
    key = models.CharField(_("Angabe"), max_length=40, choices=figures.FIGURE_CHOICES)
    coin = models.CharField(
        _("Kryptowert"),
        max_length=10,
        blank=True,
        help_text=_(
            "Nur für Angaben je Kryptowert, z. B. BTC. Leer = gilt für alle Kryptowerte; eine "
            "Angabe für einen bestimmten Kryptowert geht dieser Vorgabe vor."
        ),
    )
    number = GermanDecimalField(
        _("Zahl"),
        max_digits=20,
        decimal_places=8,
        null=True,
        blank=True,
        help_text=_(
            "Prozent, Euro, Anzahl oder Jahr – je nach Angabe. Dezimaltrennzeichen: Komma."
        ),
    )
    number_eur = GermanDecimalField(
        _("Fester Betrag (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Nur bei Gebühren aus Prozent + festem Betrag (Einzahlung, Sparplan)."),
    )
    flag = models.BooleanField(_("Ja/Nein"), null=True, blank=True)
    text = models.CharField(
        _("Text"),
        max_length=400,
        blank=True,
        help_text=_("Bei Text- und Listenangaben; bei Ja/Nein optional, z. B. die Behörde."),
    )
    source = models.URLField(
        _("Quelle (Adresse)"),
        max_length=500,
        blank=True,
        validators=[http_url],
        help_text=_("Öffentliche Seite, auf der die Angabe steht. Ohne Quelle: „nicht geprüft“."),
    )
    checked = models.DateField(
        _("Geprüft am"),
        null=True,
        blank=True,
        help_text=_("Stand laut Quelle bzw. Tag, an dem die Angabe an der Quelle geprüft wurde."),
    )
    recheck = models.BooleanField(
        _("Vor Veröffentlichung erneut prüfen"),
        default=False,
        help_text=_("Für Angaben, die nicht an einer gespeicherten Kopie der Quelle belegt sind."),
    )
    unpublished = models.BooleanField(
        _("Vom Anbieter nicht veröffentlicht"),
        default=False,
        help_text=_(
            "Der Anbieter nennt diese Zahl nicht (z. B. seinen Spread). Wert leer lassen; Quelle "
            "ist die Seite, auf der die Zahl fehlt. Der Kostenrechner zeigt dann „mindestens … "
            "+ Spread (vom Anbieter nicht veröffentlicht)“ und rechnet nie mit null."
        ),
    )
    effective = models.DateField(
        _("Gültig seit / erteilt am"),
        null=True,
        blank=True,
        help_text=_(
            "Optional: seit wann die Angabe gilt, z. B. Datum einer Gebührenänderung oder der "
            "Zulassung."
        ),
    )
    basis = models.CharField(
        _("Grundlage"),
        max_length=300,
        blank=True,
        help_text=_("Woher genau die Angabe stammt, z. B. „Preisverzeichnis, Stand 06/2024“."),
    )
    note = models.CharField(_("Hinweis für Leser"), max_length=400, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("coin")]),
        FieldRowPanel([FieldPanel("number"), FieldPanel("number_eur"), FieldPanel("flag")]),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("source"), FieldPanel("checked"), FieldPanel("effective")]),
        FieldRowPanel([FieldPanel("basis"), FieldPanel("recheck"), FieldPanel("unpublished")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Belegte Angabe")
        verbose_name_plural = _("Belegte Angaben")

    def __str__(self):
        return f"{self.get_key_display()}"

    def clean(self):
        super().clean()
        errors = figures.figure_errors(
            key=self.key,
            number=self.number,
            number_eur=self.number_eur,
            flag=self.flag,
            text=self.text,
            coin=self.coin,
            source=self.source,
            checked=self.checked,
            today=timezone.localdate(),
            unpublished=self.unpublished,
            effective=self.effective,
        )
        if errors:
            raise ValidationError(errors)

    def as_fact(self) -> Fact:
        return Fact(
            key=self.key,
            number=to_decimal(self.number),
            number_eur=to_decimal(self.number_eur),
            flag=self.flag,
            text=self.text,
            coin=self.coin,
            source=self.source,
            checked=self.checked,
            note=self.note,
            basis=self.basis,
            recheck=self.recheck,
            unpublished=self.unpublished,
            effective=self.effective,
        )


class MicaRegisterImport(models.Model):
    """One imported snapshot of ESMA's interim MiCA register of crypto-asset service providers
    (CASPS.csv), with the changes it brought for the providers in the comparisons."""

    imported_at = models.DateTimeField(_("Importiert am"), auto_now_add=True)
    file_name = models.CharField(_("Datei"), max_length=200)
    snapshot = models.DateField(_("Registerstand"))
    source = models.URLField(_("Quelle"), max_length=500, validators=[http_url])
    rows = models.PositiveIntegerField(_("Zeilen"))
    changes = models.JSONField(_("Änderungen"), default=list, blank=True)
    warnings = models.JSONField(_("Hinweise"), default=list, blank=True)

    class Meta:
        ordering = ["-snapshot", "-imported_at"]
        get_latest_by = ["snapshot", "imported_at"]
        verbose_name = _("MiCA-Register-Import")
        verbose_name_plural = _("MiCA-Register-Importe")

    def __str__(self):
        return f"{self.file_name} ({self.snapshot:%d.%m.%Y})"


class MicaRegisterEntry(models.Model):
    """One row of an imported register snapshot."""

    register = models.ForeignKey(
        MicaRegisterImport, on_delete=models.CASCADE, related_name="entries"
    )
    line = models.PositiveIntegerField(_("Zeile"))
    lei = models.CharField(_("LEI"), max_length=40, db_index=True)
    entity = models.CharField(_("Gesellschaft"), max_length=300)
    commercial_name = models.CharField(_("Handelsname"), max_length=300, blank=True)
    authority = models.CharField(_("Behörde"), max_length=300)
    home_state = models.CharField(_("Herkunftsstaat"), max_length=2)
    authorised_on = models.DateField(_("Zugelassen am"), null=True, blank=True)
    ends_on = models.DateField(_("Zulassung endet am"), null=True, blank=True)
    services = models.TextField(_("Dienstleistungen"), blank=True)
    passport = models.CharField(
        _("Grenzüberschreitend in"), max_length=300, blank=True, help_text=_("Ländercodes")
    )

    class Meta:
        ordering = ["register", "line"]
        verbose_name = _("MiCA-Registereintrag")
        verbose_name_plural = _("MiCA-Registereinträge")

    def __str__(self):
        return f"{self.entity} ({self.lei})"

    def as_row(self) -> RegisterRow:
        return RegisterRow(
            line=self.line,
            authority=self.authority,
            home_state=self.home_state,
            entity=self.entity,
            lei=self.lei,
            authorised_on=self.authorised_on,
            ends_on=self.ends_on,
            passport=tuple(self.passport.split()),
            commercial_name=self.commercial_name,
            services=self.services,
        )


class ComparisonIndexPage(RoutedPage):
    """/vergleich/ with the overview, and below it every kind of comparison, every provider,
    the cost calculator, the method page and the side-by-side view."""

    url_namespace = "comparisons"
    subpage_routes = (
        ("", "index"),
        ("kostenrechner/", "calculator"),
        ("methodik/", "methodology"),
        ("gegenueberstellung/", "side_by_side"),
        ("anbieter/<slug:slug>/", "provider"),
        ("<slug:kind_slug>/", "kind"),
    )

    max_count = 1
    subpage_types: list[str] = []
    initial_page_values: ClassVar[dict] = {
        "title": "Krypto-Anbieter im Vergleich",
        "slug": "vergleich",
        "show_in_menus": True,
        "menu_title": "Vergleiche",
        "intro": (
            "Börsen, Broker, Wallets, Sparpläne und Staking: jede Angabe mit Quelle und "
            "Prüfdatum, ein Kostenrechner für Ihre Order und ein Score, dessen Gewichte Sie "
            "selbst wählen."
        ),
        "seo_title": "Vergleiche: Krypto-Börsen, Broker, Wallets und Sparpläne",
        "search_description": (
            "Anbieter für Kryptowerte im Vergleich: Gebühren mit Quelle und Datum, "
            "Regulierung nach MiCA, Kostenrechner und ein nachvollziehbarer Score."
        ),
    }

    class Meta:
        verbose_name = _("Vergleichs-Übersicht")
        verbose_name_plural = _("Vergleichs-Übersichten")

    def search_destinations(self, *, query: str, stems: list[str]) -> list[Destination]:
        # Remembered until content changes (a provider published: comparisons/signals.py):
        # every search asks whether its words name a provider.
        providers = remembered(
            "comparisons:search-providers",
            lambda: list(Provider.objects.live().values_list("name", "company", "slug", "summary")),
            seconds=3600,
        )
        return [
            *provider_destinations(providers=providers, stems=stems, query=query),
            *comparison_destinations(stems=stems),
        ]

    def teaser_links(self) -> list[Destination]:
        # The cost calculator is in the calculators' teaser.
        return kind_destinations(suffix="")

    def sitemap_routes(self):
        """Every kind, the method page and every published provider."""
        providers = Provider.objects.live().order_by("name").values_list("slug", flat=True)
        return [
            ("methodology", {}),
            *(("kind", {"kind_slug": slug}) for slug in KINDS),
            *(("provider", {"slug": slug}) for slug in providers),
        ]
