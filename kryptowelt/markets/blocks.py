"""The "Kurs" block editors place in article bodies (registered through
settings.KRYPTOWELT_EXTRA_BODY_BLOCKS). It shows the stored price, never calls the API."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from kryptowelt.caching.scopes import Scope, depends_on
from kryptowelt.markets.selectors.quotes import coin_block_data, coin_select_choices


def coin_block_choices():
    return coin_select_choices()


class PriceBlock(blocks.StructBlock):
    coin = blocks.ChoiceBlock(
        label=_("Kryptowährung"),
        choices=coin_block_choices,
        help_text=_("Die Liste enthält alle Coins, für die Kurse vorliegen."),
    )
    show_chart = blocks.BooleanBlock(
        label=_("Verlauf der letzten 7 Tage zeigen"), required=False, default=True
    )
    note = blocks.CharBlock(
        label=_("Hinweis"),
        required=False,
        max_length=200,
        help_text=_("Optionaler kurzer Satz unter dem Kurs, z. B. zur Einordnung."),
    )

    class Meta:
        icon = "decimal"
        label = _("Kurs")
        template = "markets/blocks/price_block.html"
        description = _(
            "Zeigt den aktuellen Kurs einer Kryptowährung in Euro mit Veränderung und "
            "Stand; wird automatisch aktualisiert."
        )
        preview_value = {"coin": "bitcoin", "show_chart": True, "note": ""}

    def get_context(self, value, parent_context=None):
        depends_on(Scope.MARKETS)  # the page shows a price: renewed after every sync
        context = super().get_context(value, parent_context)
        context["data"] = coin_block_data(coin_id=value.get("coin") or "")
        context["show_chart"] = value.get("show_chart")
        context["note"] = value.get("note")
        return context


class MarketMoversBlock(blocks.StaticBlock):
    """Gainers, losers and trending topics of the last 24 hours, for a section's header
    (settings.KRYPTOWELT_SECTION_BLOCKS); shows stored data only."""

    class Meta:
        icon = "pick"
        label = _("Marktbewegungen")
        admin_text = _("Gewinner, Verlierer und Trend-Themen der letzten 24 Stunden.")
        template = "markets/blocks/market_movers_block.html"
        description = _("Gewinner, Verlierer und Trend-Themen der letzten 24 Stunden.")
