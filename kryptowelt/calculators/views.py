"""/rechner/: overview, Sparplan backtest and profit calculator (the tax calculator is
`tax_views`).

Thin views: the forms check the input, `calculations` picks the fees and runs the pure maths
(sparplan, profit) – the same code the API's calculator endpoints call."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.utils import timezone
from django.views.decorators.http import require_GET

from kryptowelt.caching.scopes import Scope, reads
from kryptowelt.calculators import calculations, presenters, selectors
from kryptowelt.calculators.forms import GewinnForm
from kryptowelt.calculators.models import CalculatorIndexPage
from kryptowelt.calculators.profit import ProfitError
from kryptowelt.calculators.rendering import render_calculator
from kryptowelt.calculators.sparplan.results import INTERVALS, SparplanError
from kryptowelt.core.page_views import route_view

SPARPLAN_FIELDS = (
    "coin",
    "betrag",
    "intervall",
    "start",
    "ende",
    "gebuehr",
    "gebuehr_fix",
    "spread",
    "anbieter",
)
GEWINN_FIELDS = ("kaufkurs", "verkaufskurs", "menge")


@route_view(CalculatorIndexPage, "index")
@require_GET
def overview(request, page):
    return page.render(request, template="calculators/overview.html")


# --- Sparplan ----------------------------------------------------------------------------


def _sparplan_defaults(choices) -> dict[str, str]:
    ids = [coin_id for coin_id, _ in choices]
    coin_id = "bitcoin" if "bitcoin" in ids else ids[0]
    series = selectors.sparplan_series(coin_id=coin_id)
    end = min(timezone.localdate(), series[-1][0]) if series else timezone.localdate()
    start = dt.date(end.year - 5, 1, 1)
    if series and start < series[0][0]:
        start = series[0][0]
    return {
        "coin": coin_id,
        "betrag": "100",
        "intervall": "monatlich",
        "start": start.isoformat(),
        "ende": end.isoformat(),
        "gebuehr": "1,0",
    }


@route_view(CalculatorIndexPage, "sparplan")
@require_GET
@reads(Scope.MARKETS)
def sparplan(request, page):
    context = {
        "page_title": "Sparplan-Rechner",
        "meta_description": "Was hätte ein Krypto-Sparplan wirklich gebracht? Rückrechnung "
        "auf gespeicherten Tageskursen: eingezahlt, Wert, Rendite, größter Rückgang und der "
        "Vergleich mit einer Einmalanlage.",
    }
    choices = selectors.sparplan_coin_choices()
    if not choices:
        context["no_data"] = True
        return render_calculator(request, page, "calculators/sparplan.html", context)
    is_example = not any(key in request.GET for key in SPARPLAN_FIELDS)
    data = _sparplan_defaults(choices) if is_example else request.GET
    form = calculations.sparplan_form(data=data)
    context.update({"form": form, "is_example": is_example})
    status = 200
    if form.is_valid():
        values = form.cleaned_data
        try:
            run = calculations.sparplan_calculate(values=values)
        except SparplanError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            result, coin, name = run.result, run.coin, run.coin_name
            context.update(
                {
                    "provider": run.provider,
                    "provider_interval_note": run.provider_interval_note,
                    "result": result,
                    "interval_label": INTERVALS[result.interval],
                    "coin": coin,
                    "coin_name": name,
                    "history_status": selectors.sparplan_history_status(coin=coin)
                    if coin
                    else None,
                    "charts": presenters.sparplan_charts(result, coin_name=name),
                    "share_query": urlencode(
                        {
                            key: presenters.query_value(values.get(key))
                            for key in SPARPLAN_FIELDS
                            if values.get(key) not in (None, "")
                        }
                    ),
                }
            )
    else:
        status = 400
    return render_calculator(request, page, "calculators/sparplan.html", context, status)


# --- Gewinn ------------------------------------------------------------------------------


@route_view(CalculatorIndexPage, "gewinn")
@require_GET
def gewinn(request, page):
    context = {
        "page_title": "Gewinn-Rechner",
        "meta_description": "Gewinn oder Verlust eines Krypto-Trades nach Gebühren, in Euro "
        "und Prozent, mit Break-even-Kurs.",
    }
    if not any(key in request.GET for key in GEWINN_FIELDS):
        context["form"] = GewinnForm()
        return render_calculator(request, page, "calculators/gewinn.html", context)
    form = GewinnForm(request.GET)
    context["form"] = form
    if not form.is_valid():
        return render_calculator(request, page, "calculators/gewinn.html", context, 400)
    try:
        run = calculations.gewinn_calculate(values=form.cleaned_data)
    except ProfitError as exc:
        form.add_error(None, str(exc))
        return render_calculator(request, page, "calculators/gewinn.html", context, 400)
    context["result"] = run.result
    if run.holding is not None:
        context["holding"] = run.holding
    return render_calculator(request, page, "calculators/gewinn.html", context)
