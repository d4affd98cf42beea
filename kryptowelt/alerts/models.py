"""A price alert stores the minimum: the address, what to watch, its state and the times that
prove consent. No IP address, no browser, no tracking. The page type PriceAlertPage
(/kursalarm/) answers the form, the confirmation and the manage links."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from kryptowelt.core.models import RoutedPage
from kryptowelt.markets.models import PRICE, Coin

MAX_ADDRESS_LENGTH = 254


class PriceAlert(models.Model):
    ABOVE, BELOW, CHANGE_24H = "above", "below", "change24h"
    KINDS = [
        (ABOVE, _("Kurs über")),
        (BELOW, _("Kurs unter")),
        (CHANGE_24H, _("± Prozent in 24 Stunden")),
    ]
    PENDING, ACTIVE, FIRED = "pending", "active", "fired"
    STATES = [
        (PENDING, _("Wartet auf Bestätigung")),
        (ACTIVE, _("Aktiv")),
        (FIRED, _("Ausgelöst, pausiert")),
    ]

    address = models.EmailField(_("E-Mail-Adresse"), max_length=MAX_ADDRESS_LENGTH, db_index=True)
    # No reverse accessor: the markets app knows nothing of alerts.
    coin = models.ForeignKey(
        Coin, verbose_name=_("Kryptowährung"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("Art"), max_length=12, choices=KINDS)
    threshold = models.DecimalField(_("Schwelle"), **PRICE)
    state = models.CharField(_("Zustand"), max_length=10, choices=STATES, default=PENDING)
    created_at = models.DateTimeField(_("angefordert am"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    last_fired_at = models.DateTimeField(_("zuletzt ausgelöst am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kursalarm")
        verbose_name_plural = _("Kursalarme")
        indexes = [models.Index(fields=["state", "coin"], name="alerts_state_coin")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.threshold} ({self.coin_id})"


class PriceAlertPage(RoutedPage):
    """/kursalarm/: answers the alert form of the coin pages, the confirmation link and the
    manage, delete and one-click unsubscribe links of the mails."""

    url_namespace = "alerts"
    subpage_routes = (
        ("", "index"),
        ("neu/", "create"),
        ("bestaetigen/<str:token>/", "confirm"),
        ("verwalten/<str:token>/", "manage"),
        ("abbestellen/<str:token>/", "unsubscribe"),
        ("alle-loeschen/<str:token>/", "delete_all"),
    )

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    initial_page_values: ClassVar[dict] = {
        "title": "Kursalarm",
        "slug": "kursalarm",
        "show_in_menus": False,
        "intro": (
            "Eine E-Mail, wenn eine Kryptowährung eine Kursschwelle über- oder unterschreitet "
            "oder in 24 Stunden stark schwankt – ohne Konto, ohne Cookie."
        ),
        "seo_title": "Kursalarm per E-Mail",
        "search_description": (
            "Kursalarm für Kryptowährungen per E-Mail: über oder unter einem Euro-Kurs oder "
            "bei starker Veränderung in 24 Stunden, mit Bestätigung und jederzeit löschbar."
        ),
    }

    class Meta:
        verbose_name = _("Kursalarm-Seite")
        verbose_name_plural = _("Kursalarm-Seiten")
