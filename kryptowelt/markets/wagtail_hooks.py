"""Admin views: coins (editors may fix a display name) and the state of every sync, so
operators see when prices were last fetched and why a sync failed."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from kryptowelt.markets.models import Coin, SyncState


class CoinViewSet(ModelViewSet):
    model = Coin
    icon = "decimal"
    menu_label = _("Coins")
    list_display = ["name", "symbol", "coingecko_id", "rank", "is_sample"]
    list_filter = ["is_sample"]
    search_fields = ["name", "symbol", "coingecko_id"]
    form_fields = ["name", "symbol"]
    inspect_view_enabled = True
    ordering = ["rank", "name"]


class SyncStateViewSet(ModelViewSet):
    model = SyncState
    icon = "history"
    menu_label = _("Abgleiche")
    list_display = ["kind", "last_success_at", "last_attempt_at", "last_error", "retry_not_before"]
    form_fields = ["retry_not_before"]
    inspect_view_enabled = True


class MarketsViewSetGroup(ModelViewSetGroup):
    items = (CoinViewSet, SyncStateViewSet)
    menu_label = _("Kurse & Marktdaten")
    menu_icon = "decimal"
    menu_order = 300


@hooks.register("register_admin_viewset")
def register_markets_viewsets():
    return MarketsViewSetGroup()
