"""The calculators' page in the tree (/rechner/); the maths lives in the pure modules."""

from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from kryptowelt.calculators.tools import COST_CALCULATOR, TOOLS, Tool
from kryptowelt.core.destinations import Destination, match_score
from kryptowelt.core.models import RoutedPage, pillar_reverse

TOOL_KIND = _("Rechner")


class CalculatorIndexPage(RoutedPage):
    """/rechner/ with the overview, and each calculator below it."""

    url_namespace = "calculators"
    subpage_routes = (
        ("", "index"),
        ("sparplan/", "sparplan"),
        ("gewinn/", "gewinn"),
        ("steuer/", "steuer"),
    )
    max_count = 1
    subpage_types: list[str] = []
    initial_page_values: ClassVar[dict] = {
        "title": "Rechner",
        "slug": "rechner",
        "show_in_menus": True,
        "intro": (
            "Nüchtern gerechnet statt versprochen: was ein Sparplan auf echten Kursen gebracht "
            "hätte, was ein Trade nach Gebühren übrig lässt und was davon das Finanzamt wissen "
            "will."
        ),
        "seo_title": "Rechner: Sparplan, Gewinn und Krypto-Steuer",
        "search_description": (
            "Sparplan-Rechner auf echten Kursen, Gewinn-Rechner mit Gebühren und "
            "Krypto-Steuerrechner für Deutschland – nüchtern gerechnet."
        ),
    }

    class Meta:
        verbose_name = _("Rechner-Übersicht")
        verbose_name_plural = _("Rechner-Übersichten")

    def sitemap_routes(self):
        # The calculators' empty forms; results (with their query) are not listed.
        return [(tool.route, {}) for tool in TOOLS]

    def _destination(self, tool: Tool, score: int = 0) -> Destination:
        route = tool.route if ":" in tool.route else f"{self.url_namespace}:{tool.route}"
        return Destination(tool.title, pillar_reverse(route), str(TOOL_KIND), tool.text, score)

    def search_destinations(self, *, query: str, stems: list[str]) -> list[Destination]:
        return [
            self._destination(tool, score)
            for tool in TOOLS
            if (score := match_score(stems, tool.names))
        ]

    def teaser_links(self) -> list[Destination]:
        return [self._destination(tool) for tool in (*TOOLS, COST_CALCULATOR)]
