"""Coins, their latest market snapshot, the price history as a narrow time series, EUR/USD
reference rates, CoinGecko's trending list and the state of every sync.

Money is `Decimal` throughout. The history table is append-only and idempotent: one row per
(coin, currency, timestamp), inserted with "ignore conflicts", so syncing or importing the
same data twice adds nothing. Writes live in `services/`, reads in `selectors/`.
"""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from kryptowelt.caching.remember import remembered
from kryptowelt.caching.scopes import Scope
from kryptowelt.core.destinations import Destination
from kryptowelt.core.models import RoutedPage, pillar_reverse
from kryptowelt.markets.destinations import (
    SearchCoin,
    coin_destination,
    coin_query,
    coin_score,
    search_coin,
)

CURRENCIES = [("eur", "EUR"), ("usd", "USD")]

PRICE = {"max_digits": 38, "decimal_places": 18}
MONEY = {"max_digits": 30, "decimal_places": 2}
SUPPLY = {"max_digits": 40, "decimal_places": 8}
PERCENT = {"max_digits": 20, "decimal_places": 6}


class CoinQuerySet(models.QuerySet):
    def with_page(self):
        """Coins with a page at /kurse/<id>/: a snapshot or a stored price history. Links to
        a coin go only to these (the others answer 404)."""
        has_history = PricePoint.objects.filter(coin=models.OuterRef("pk"))
        return self.filter(models.Q(snapshot__isnull=False) | models.Exists(has_history))


class Coin(models.Model):
    coingecko_id = models.CharField(
        _("CoinGecko-ID"),
        max_length=100,
        unique=True,
        help_text=_("Kennung bei CoinGecko, z. B. „bitcoin“; bildet die Adresse /kurse/<id>/."),
    )
    symbol = models.CharField(_("Kürzel"), max_length=30, blank=True)
    name = models.CharField(_("Name"), max_length=120)
    names_by_editor = models.BooleanField(
        _("Name und Kürzel von der Redaktion"),
        default=False,
        help_text=_(
            "Wird gesetzt, sobald Name oder Kürzel hier geändert werden: Der Abgleich mit "
            "CoinGecko überschreibt sie dann nicht mehr. Abwählen, damit wieder die Angaben "
            "von CoinGecko gelten."
        ),
    )
    rank = models.PositiveIntegerField(_("Rang nach Marktkapitalisierung"), null=True, blank=True)
    logo = models.ImageField(_("Logo"), upload_to="coins/", blank=True)
    logo_source_url = models.CharField(
        _("Herkunft des Logos"),
        max_length=500,
        blank=True,
        help_text=_("Adresse, von der das lokal gespeicherte Logo geladen wurde."),
    )
    image_url = models.CharField(
        _("Logo-Adresse der Quelle"),
        max_length=500,
        blank=True,
        help_text=_("Wo CoinGecko das Logo anbietet; es wird im Hintergrund geladen."),
    )
    logo_failures = models.PositiveSmallIntegerField(
        _("fehlgeschlagene Logo-Abrufe in Folge"), default=0
    )
    logo_retry_not_before = models.DateTimeField(
        _("Logo frühestens erneut laden"),
        null=True,
        blank=True,
        help_text=_("Nach einem fehlgeschlagenen Abruf wird das Logo erst danach erneut geladen."),
    )
    is_sample = models.BooleanField(
        _("Beispieldaten"),
        default=False,
        help_text=_("Von der Demo erzeugt, keine echten Kurse."),
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aktualisiert"), auto_now=True)

    objects = CoinQuerySet.as_manager()

    class Meta:
        ordering = [models.F("rank").asc(nulls_last=True), "name"]
        verbose_name = _("Coin")
        verbose_name_plural = _("Coins")

    def __str__(self):
        return f"{self.name} ({self.symbol.upper()})" if self.symbol else self.name

    def get_absolute_url(self):
        return pillar_reverse("markets:coin", coin_id=self.coingecko_id)

    @property
    def symbol_display(self) -> str:
        return self.symbol.upper()


class MarketSnapshot(models.Model):
    """The latest market data of a coin (one row per coin, replaced by every sync)."""

    coin = models.OneToOneField(
        Coin, on_delete=models.CASCADE, primary_key=True, related_name="snapshot"
    )
    currency = models.CharField(_("Währung"), max_length=3, choices=CURRENCIES, default="eur")
    price = models.DecimalField(_("Kurs"), **PRICE)
    market_cap = models.DecimalField(_("Marktkapitalisierung"), null=True, blank=True, **MONEY)
    total_volume = models.DecimalField(_("Handelsvolumen 24 h"), null=True, blank=True, **MONEY)
    high_24h = models.DecimalField(_("Hoch 24 h"), null=True, blank=True, **PRICE)
    low_24h = models.DecimalField(_("Tief 24 h"), null=True, blank=True, **PRICE)
    change_1h = models.DecimalField(_("Änderung 1 h (%)"), null=True, blank=True, **PERCENT)
    change_24h = models.DecimalField(_("Änderung 24 h (%)"), null=True, blank=True, **PERCENT)
    change_7d = models.DecimalField(_("Änderung 7 T (%)"), null=True, blank=True, **PERCENT)
    change_30d = models.DecimalField(_("Änderung 30 T (%)"), null=True, blank=True, **PERCENT)
    change_1y = models.DecimalField(_("Änderung 1 J (%)"), null=True, blank=True, **PERCENT)
    circulating_supply = models.DecimalField(_("Umlaufmenge"), null=True, blank=True, **SUPPLY)
    total_supply = models.DecimalField(_("Gesamtmenge"), null=True, blank=True, **SUPPLY)
    max_supply = models.DecimalField(_("Maximale Menge"), null=True, blank=True, **SUPPLY)
    ath = models.DecimalField(_("Allzeithoch"), null=True, blank=True, **PRICE)
    ath_change_percentage = models.DecimalField(
        _("Abstand zum Allzeithoch (%)"), null=True, blank=True, **PERCENT
    )
    ath_date = models.DateTimeField(_("Datum des Allzeithochs"), null=True, blank=True)
    atl = models.DecimalField(_("Allzeittief"), null=True, blank=True, **PRICE)
    atl_date = models.DateTimeField(_("Datum des Allzeittiefs"), null=True, blank=True)
    sparkline_7d = models.JSONField(_("Verlauf 7 Tage"), default=list, blank=True)
    sparkline_svg = models.TextField(
        _("Sparkline (SVG)"),
        blank=True,
        editable=False,
        help_text=_("Beim Abgleich vorberechnet, damit die Kurstabelle schnell bleibt."),
    )
    last_updated = models.DateTimeField(_("Stand laut Quelle"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("abgerufen"), db_index=True)
    is_sample = models.BooleanField(_("Beispieldaten"), default=False)

    class Meta:
        verbose_name = _("Marktdaten")
        verbose_name_plural = _("Marktdaten")

    def __str__(self):
        return f"{self.coin} {self.price} {self.currency}"


class PricePoint(models.Model):
    """One point of a coin's price history (append-only)."""

    SOURCE_SYNC = "markets"
    SOURCE_CHART = "chart"
    SOURCE_IMPORT = "import"
    SOURCE_SAMPLE = "sample"
    SOURCES = [
        (SOURCE_SYNC, _("Kursabgleich")),
        (SOURCE_CHART, _("CoinGecko-Verlauf")),
        (SOURCE_IMPORT, _("CSV-Import")),
        (SOURCE_SAMPLE, _("Beispieldaten")),
    ]

    coin = models.ForeignKey(Coin, on_delete=models.CASCADE, related_name="price_points")
    currency = models.CharField(_("Währung"), max_length=3, choices=CURRENCIES)
    timestamp = models.DateTimeField(_("Zeitpunkt"))
    price = models.DecimalField(_("Kurs"), **PRICE)
    market_cap = models.DecimalField(_("Marktkapitalisierung"), null=True, blank=True, **MONEY)
    volume = models.DecimalField(_("Handelsvolumen"), null=True, blank=True, **MONEY)
    source = models.CharField(_("Quelle"), max_length=10, choices=SOURCES)

    class Meta:
        verbose_name = _("Kurspunkt")
        verbose_name_plural = _("Kursverlauf")
        constraints = [
            models.UniqueConstraint(
                fields=["coin", "currency", "timestamp"], name="markets_pricepoint_unique"
            )
        ]

    def __str__(self):
        return f"{self.coin_id} {self.timestamp:%Y-%m-%d %H:%M} {self.price} {self.currency}"


class FxRate(models.Model):
    """ECB euro reference rate: US dollars per euro on an ECB working day."""

    date = models.DateField(_("Datum"), unique=True)
    usd_per_eur = models.DecimalField(_("US-Dollar je Euro"), max_digits=18, decimal_places=8)

    class Meta:
        ordering = ["date"]
        verbose_name = _("Wechselkurs EUR/USD")
        verbose_name_plural = _("Wechselkurse EUR/USD")

    def __str__(self):
        return f"{self.date}: {self.usd_per_eur}"


class TrendingCoin(models.Model):
    """CoinGecko's list of the most searched coins, replaced by every sync."""

    position = models.PositiveSmallIntegerField(_("Position"))
    coingecko_id = models.CharField(_("CoinGecko-ID"), max_length=100)
    name = models.CharField(_("Name"), max_length=120)
    symbol = models.CharField(_("Kürzel"), max_length=30)
    rank = models.PositiveIntegerField(_("Rang"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("abgerufen"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("Gefragter Coin")
        verbose_name_plural = _("Gefragte Coins")

    def __str__(self):
        return f"{self.position}. {self.name}"


class CoinMention(models.Model):
    """A coin named in an article (detected automatically from its text)."""

    coin = models.ForeignKey(Coin, on_delete=models.CASCADE, related_name="mentions")
    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="coin_mentions"
    )
    count = models.PositiveIntegerField(_("Nennungen"), default=1)

    class Meta:
        verbose_name = _("Coin-Erwähnung")
        verbose_name_plural = _("Coin-Erwähnungen")
        constraints = [
            models.UniqueConstraint(fields=["coin", "article"], name="markets_mention_unique")
        ]

    def __str__(self):
        return f"{self.coin_id} in {self.article_id}"


class SyncState(models.Model):
    """When a kind of sync last ran and succeeded, and why it failed if it did."""

    MARKETS = "markets"
    HISTORY = "history"
    TRENDING = "trending"
    LOGOS = "logos"
    KINDS = [
        (MARKETS, _("Kurse")),
        (HISTORY, _("Kursverlauf")),
        (TRENDING, _("Gefragte Coins")),
        (LOGOS, _("Logos")),
    ]

    kind = models.CharField(_("Art"), max_length=20, choices=KINDS, unique=True)
    last_attempt_at = models.DateTimeField(_("letzter Versuch"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("letzter Erfolg"), null=True, blank=True)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    retry_not_before = models.DateTimeField(
        _("nächster Versuch frühestens"),
        null=True,
        blank=True,
        help_text=_("Nach HTTP 429 mit Retry-After: vorher wird CoinGecko nicht gefragt."),
    )

    class Meta:
        verbose_name = _("Abgleich")
        verbose_name_plural = _("Abgleiche")

    def __str__(self):
        return self.get_kind_display()


class LogoHost(models.Model):
    """A server coin logos come from, with its circuit breaker: after several failures in a
    row it is not asked again until `open_until`, so a dead host costs little."""

    host = models.CharField(_("Server"), max_length=255, unique=True)
    failures = models.PositiveIntegerField(_("Fehler in Folge"), default=0)
    open_until = models.DateTimeField(
        _("gesperrt bis"),
        null=True,
        blank=True,
        help_text=_("Nach wiederholten Fehlern wird der Server bis dahin nicht gefragt."),
    )
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    last_failure_at = models.DateTimeField(_("letzter Fehler am"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("letzter Erfolg"), null=True, blank=True)

    class Meta:
        ordering = ["host"]
        verbose_name = _("Logo-Server")
        verbose_name_plural = _("Logo-Server")

    def __str__(self):
        return self.host


class MarketsIndexPage(RoutedPage):
    """/kurse/ with the coin table, and every coin's page /kurse/<coingecko-id>/."""

    url_namespace = "markets"
    subpage_routes = (("", "index"), ("<str:coin_id>/", "coin"))

    max_count = 1
    subpage_types: list[str] = []
    initial_page_values: ClassVar[dict] = {
        "title": "Kurse",
        "slug": "kurse",
        "show_in_menus": True,
        "intro": (
            "Die größten Kryptowährungen nach Marktkapitalisierung, mit Kurs in Euro, "
            "Veränderung und Verlauf der letzten sieben Tage."
        ),
        "seo_title": "Kurse: Kryptowährungen nach Marktkapitalisierung",
        "search_description": (
            "Aktuelle Kurse der größten Kryptowährungen in Euro: Preis, Veränderung über "
            "1 Stunde, 24 Stunden und 7 Tage, Marktkapitalisierung und Handelsvolumen."
        ),
    }

    class Meta:
        verbose_name = _("Kursübersicht")
        verbose_name_plural = _("Kursübersichten")

    def sitemap_routes(self):
        """Every coin with a page: a snapshot or a price history."""
        coins = Coin.objects.with_page().values_list("coingecko_id", flat=True)
        return [("coin", {"coin_id": coin_id}) for coin_id in coins]

    @staticmethod
    def _coins_for_search() -> tuple[SearchCoin, ...]:
        """Every coin with a page, best ranked first. Remembered until the next sync (or a
        name an editor corrects): every search asks whether its words name a coin, and a query
        of its own for that was a twentieth of a search's time at 100,000 articles."""
        coins = (
            Coin.objects.with_page()
            .select_related("snapshot")
            .order_by(models.F("rank").asc(nulls_last=True), "name")
        )
        return remembered(
            "markets:search-coins",
            lambda: tuple(search_coin(coin) for coin in coins),
            seconds=3600,
            scopes=(Scope.MARKETS,),
        )

    def search_destinations(self, *, query: str, stems: list[str]) -> list[Destination]:
        """Coins the query names (name, symbol or CoinGecko id; "Bitcoin Kurs" too)."""
        wanted = coin_query(query)
        if not wanted:
            return []
        folded, coin_id = wanted.casefold(), wanted.replace(" ", "-")
        candidates = [
            coin
            for coin in self._coins_for_search()
            if coin.name_folded.startswith(folded)  # the name itself, or its start
            or coin.symbol_folded == folded
            or coin.coingecko_id == coin_id
        ][:20]
        found = []
        for coin in candidates:
            score = coin_score(
                name=coin.name, symbol=coin.symbol, coin_id=coin.coingecko_id, wanted=wanted
            )
            if score:
                found.append(
                    coin_destination(coin=coin, snapshot=coin.snapshot, url=coin.url, score=score)
                )
        return found
