"""Admin: providers as snippets with drafts and revisions, and a report of figures to re-check."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kryptowelt.comparisons import figures
from kryptowelt.comparisons.models import Provider
from kryptowelt.comparisons.review import register_imports, review_items


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "table"
    menu_label = _("Vergleiche")
    menu_name = "vergleiche"
    menu_order = 250
    add_to_admin_menu = True
    # Wagtail adds a status column ("Live"/"Entwurf"); a "live" column would print True/False.
    list_display = ["name", "company", "country"]
    list_filter = ["kind_exchange", "kind_broker", "kind_wallet_hardware", "kind_sparplan", "live"]
    search_fields = ["name", "company"]
    ordering = ["name"]


register_snippet(ProviderViewSet)

PERMISSION = "comparisons.change_provider"


class FigureReviewView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Figures that readers see as stale or unchecked, the ones most rankings depend on
    first, and what the last MiCA register imports changed: the editors' to-do list."""

    permission_required = PERMISSION
    template_name = "comparisons/admin/figure_review.html"
    page_title = _("Vergleichsdaten prüfen")
    header_icon = "time"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "items": review_items(),
                "imports": register_imports(),
                "stale_after_days": figures.STALE_AFTER_DAYS,
            }
        )
        return context


@hooks.register("register_admin_urls")
def register_review_url():
    return [
        path(
            "vergleiche/pruefen/",
            FigureReviewView.as_view(),
            name="comparisons_figure_review",
        )
    ]


class FigureReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_reports_menu_item")
def register_review_menu_item():
    return FigureReviewMenuItem(
        _("Vergleichsdaten prüfen"),
        reverse("comparisons_figure_review"),
        name="vergleichsdaten-pruefen",
        icon_name="time",
        order=1150,
    )
