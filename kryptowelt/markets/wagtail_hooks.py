"""Admin views: coins (editors may fix a display name), the state of every sync and of
every logo server, so operators see when prices were last fetched, why a sync failed and
which logo server is paused."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from kryptowelt.core.admin_columns import YesNoColumn
from kryptowelt.markets.models import Coin, LogoHost, SyncState
from kryptowelt.markets.services.state import markets_generation_bump


class CoinNamesForm(forms.ModelForm):
    """A name or symbol an editor corrects is kept by the next sync (`names_by_editor`), and
    the pages that show it are renewed at once (the markets scope, which the price tables,
    coin pages and coin mentions read)."""

    class Meta:
        model = Coin
        fields = ["name", "symbol", "names_by_editor"]

    def save(self, commit=True):
        if {"name", "symbol"} & set(self.changed_data):
            self.instance.names_by_editor = True
        coin = super().save(commit=commit)
        if commit:
            markets_generation_bump()
        return coin


class CoinViewSet(ModelViewSet):
    model = Coin
    icon = "decimal"
    menu_label = _("Coins")
    list_display = [
        "name",
        "symbol",
        "coingecko_id",
        "rank",
        YesNoColumn("is_sample", label=_("Beispieldaten")),
    ]
    list_filter = ["is_sample"]
    search_fields = ["name", "symbol", "coingecko_id"]
    form_fields = ["name", "symbol", "names_by_editor"]
    inspect_view_enabled = True
    ordering = ["rank", "name"]

    def get_form_class(self, for_update=False):
        return CoinNamesForm


class SyncStateViewSet(ModelViewSet):
    model = SyncState
    icon = "history"
    menu_label = _("Abgleiche")
    list_display = ["kind", "last_success_at", "last_attempt_at", "last_error", "retry_not_before"]
    form_fields = ["retry_not_before"]
    inspect_view_enabled = True


class LogoHostViewSet(ModelViewSet):
    model = LogoHost
    icon = "image"
    menu_label = _("Logo-Server")
    list_display = ["host", "failures", "open_until", "last_error", "last_success_at"]
    form_fields = ["open_until"]  # clear it to try the server again at once
    inspect_view_enabled = True


class MarketsViewSetGroup(ModelViewSetGroup):
    items = (CoinViewSet, SyncStateViewSet, LogoHostViewSet)
    menu_label = _("Kurse & Marktdaten")
    menu_icon = "decimal"
    menu_order = 300


@hooks.register("register_admin_viewset")
def register_markets_viewsets():
    return MarketsViewSetGroup()
