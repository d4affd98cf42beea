"""/rechner/: overview, Sparplan backtest, profit calculator and tax calculator.

Thin views: the maths lives in the pure modules (sparplan, profit, tax, tax_import,
tax_export), prices come from the markets selectors. The tax calculator reads uploads in
memory only and stores nothing; its responses are never cached."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from kryptowelt.caching.scopes import Scope, reads
from kryptowelt.calculators import presenters, selectors
from kryptowelt.calculators.forms import GewinnForm, SparplanForm
from kryptowelt.calculators.models import CalculatorIndexPage
from kryptowelt.calculators.profit import ProfitError, SideFee, trade_profit
from kryptowelt.calculators.sparplan.backtest import sparplan_backtest
from kryptowelt.calculators.sparplan.results import INTERVALS, Fees, SparplanError
from kryptowelt.calculators.tax.records import TaxInputError
from kryptowelt.calculators.tax.report import tax_report
from kryptowelt.calculators.tax.rules import KIND_LABELS, holding_period_end, is_tax_free
from kryptowelt.calculators.tax_export import report_csv
from kryptowelt.calculators.tax_import.decoding import MAX_UPLOAD_BYTES
from kryptowelt.calculators.tax_import.errors import TaxImportError
from kryptowelt.calculators.tax_import.formats.own import (
    OWN_COLUMNS,
    parse_table,
    transactions_to_csv,
)
from kryptowelt.calculators.tax_import.reader import parse_upload
from kryptowelt.calculators.uploads import InMemoryLimitedUploadHandler
from kryptowelt.core.page_views import route_view

SAMPLE_FILE = Path(__file__).parent / "samples" / "kryptowelt-beispiel.csv"
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
FORM_ROWS = 8
FORM_ROWS_MAX = 200
FORM_FIELDS = ("datum", "typ", "coin", "menge", "preis", "gebuehr", "ziel_coin", "ziel_menge")
# The result page hands the transactions back to the browser (hidden field) for the CSV and
# print buttons, up to this size; larger uploads are simply uploaded again with that button.
ROUND_TRIP_MAX_CHARS = 1_500_000
SHOWN_PER_YEAR = 300
PRINT_PER_YEAR = 5000


def _noindex(response):
    response["X-Robots-Tag"] = "noindex"
    return response


def _render(request, page, template: str, context: dict, status: int = 200):
    """A calculator's page, rendered as part of the /rechner/ page (its menu, breadcrumbs)."""
    if "page_title" in context:
        context.setdefault("extra_crumbs", [(context["page_title"], request.path)])
    response = page.render(request, template=template, context_overrides=context)
    response.status_code = status
    return response


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
        return _render(request, page, "calculators/sparplan.html", context)
    is_example = not any(key in request.GET for key in SPARPLAN_FIELDS)
    data = _sparplan_defaults(choices) if is_example else request.GET
    form = SparplanForm(data, coin_choices=choices, providers=selectors.sparplan_providers())
    context.update({"form": form, "is_example": is_example})
    status = 200
    if form.is_valid():
        values = form.cleaned_data
        coin = selectors.sparplan_coin(coin_id=values["coin"])
        name = coin.name if coin else values["coin"]
        provider = None
        if values.get("anbieter"):
            provider = selectors.sparplan_providers(coin_symbol=coin.symbol if coin else "").get(
                values["anbieter"]
            )
        fees = (
            provider.fees()
            if provider
            else Fees(
                percent=values["gebuehr"] or Decimal(0),
                fixed=values["gebuehr_fix"] or Decimal(0),
                spread_percent=values["spread"] or Decimal(0),
            )
        )
        context["provider"] = provider
        if provider and provider.intervals and values["intervall"] not in provider.intervals:
            context["provider_interval_note"] = (
                f"{provider.name} bietet laut unserem Vergleich das Intervall "
                f"„{INTERVALS[values['intervall']]}“ nicht an."
            )
        try:
            result = sparplan_backtest(
                series=selectors.sparplan_series(coin_id=values["coin"]),
                amount=values["betrag"],
                interval=values["intervall"],
                start=values["start"],
                end=values["ende"],
                fees=fees,
                coin_name=name,
            )
        except SparplanError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            context.update(
                {
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
    return _render(request, page, "calculators/sparplan.html", context, status)


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
        return _render(request, page, "calculators/gewinn.html", context)
    form = GewinnForm(request.GET)
    context["form"] = form
    if not form.is_valid():
        return _render(request, page, "calculators/gewinn.html", context, 400)
    values = form.cleaned_data
    zero = Decimal(0)
    try:
        result = trade_profit(
            buy_price=values["kaufkurs"],
            sell_price=values["verkaufskurs"],
            quantity=values["menge"],
            buy_fee=SideFee(
                percent=values["gebuehr_kauf_prozent"] or zero,
                fixed=values["gebuehr_kauf_euro"] or zero,
            ),
            sell_fee=SideFee(
                percent=values["gebuehr_verkauf_prozent"] or zero,
                fixed=values["gebuehr_verkauf_euro"] or zero,
            ),
        )
    except ProfitError as exc:
        form.add_error(None, str(exc))
        return _render(request, page, "calculators/gewinn.html", context, 400)
    context["result"] = result
    bought, sold = values.get("kaufdatum"), values.get("verkaufsdatum")
    if bought and sold:
        context["holding"] = {
            "tax_free": is_tax_free(acquired=bought, sold=sold),
            "days": (sold - bought).days,
            "free_from": holding_period_end(bought) + dt.timedelta(days=1),
        }
    return _render(request, page, "calculators/gewinn.html", context)


# --- Steuer ------------------------------------------------------------------------------


def _tax_context(**extra) -> dict:
    context = {
        "page_title": "Krypto-Steuerrechner",
        "meta_description": "Steuer auf Krypto-Gewinne in Deutschland berechnen: FIFO, "
        "Haltefrist von einem Jahr, Freigrenzen nach § 23 und § 22 Nr. 3 EStG. Ohne "
        "Speicherung Ihrer Daten.",
        "kinds": KIND_LABELS,
        "own_columns": OWN_COLUMNS[1:],
        "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "form_rows": _blank_rows(FORM_ROWS),
        "row_count": FORM_ROWS,
    }
    context.update(extra)
    return context


def _blank_rows(count: int) -> list[dict]:
    return [{"index": i, **dict.fromkeys(FORM_FIELDS, "")} for i in range(count)]


def _posted_rows(post) -> list[dict]:
    try:
        count = int(post.get("zeilen", FORM_ROWS))
    except ValueError:
        count = FORM_ROWS
    count = max(1, min(count, FORM_ROWS_MAX))
    rows = []
    for i in range(count):
        values = {field: post.get(f"{field}_{i}", "")[:100] for field in FORM_FIELDS}
        rows.append({"index": i, **values})
    return rows


def _private(response):
    """Results are the reader's own data: never cached, never indexed."""
    response["Cache-Control"] = "no-store, private"
    return _noindex(response)


def _render_tax(request, page, status=200, **context):
    response = _render(request, page, "calculators/steuer.html", _tax_context(**context), status)
    if request.method == "POST":
        return _private(response)
    # The empty form carries a CSRF token for this reader: no shared cache may keep it.
    response["Cache-Control"] = "no-store, private"
    return response


@route_view(CalculatorIndexPage, "steuer")
@csrf_exempt
def steuer(request, page):
    """GET shows the forms; POST calculates. The upload handlers must be replaced before
    Django reads the request body, so CSRF is checked in the inner view (Django's documented
    pattern for per-view upload handlers)."""
    if request.method == "POST":
        handler = InMemoryLimitedUploadHandler(request, limit=MAX_UPLOAD_BYTES)
        request.upload_handlers = [handler]
        return _steuer_post(request, page, handler=handler)
    if request.method in ("GET", "HEAD"):
        return _steuer_get(request, page)
    return HttpResponseNotAllowed(["GET", "POST"])


@csrf_protect
def _steuer_get(request, page):
    return _render_tax(request, page)


@csrf_protect
def _steuer_post(request, page, *, handler):
    try:
        post, files = request.POST, request.FILES
    except (RequestDataTooBig, TooManyFieldsSent):
        return _render_tax(
            request,
            page,
            status=413,
            errors=["Die eingegebenen Daten sind zu umfangreich. Bitte laden Sie eine Datei hoch."],
        )
    if handler.too_large:
        return _render_tax(
            request,
            page,
            status=413,
            errors=[f"Die Datei ist größer als {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."],
        )
    rows = _posted_rows(post)
    if "mehr_zeilen" in post:
        rows += _blank_rows(min(10, FORM_ROWS_MAX - len(rows)))
        for i, row in enumerate(rows):
            row["index"] = i
        return _render_tax(request, page, form_rows=rows, row_count=len(rows), mode="formular")
    output = post.get("ausgabe", "html")
    if output not in {"html", "csv", "druck"}:
        output = "html"

    lookup = selectors.StoredPriceLookup()
    mode = "datei"
    try:
        if "beispiel" in post:
            parsed = parse_upload(SAMPLE_FILE.read_bytes())
            source_label = "Beispieldatei von Kryptowelt"
        elif files.get("datei") is not None:
            upload = files["datei"]
            parsed = parse_upload(upload.read(), price_lookup=lookup)
            source_label = f"Datei „{upload.name[:80]}“"
        elif post.get("daten"):
            parsed = parse_upload(post["daten"].encode("utf-8"))
            source_label = post.get("quelle", "")[:120] or "Ihre Daten"
        else:
            mode = "formular"
            filled = [
                (row["index"] + 1, ["", *(row[f].strip() for f in FORM_FIELDS), ""])
                for row in rows
                if any(row[f].strip() for f in FORM_FIELDS if f != "typ")
            ]
            if not filled:
                raise TaxImportError(
                    ["Bitte laden Sie eine Datei hoch oder tragen Sie Transaktionen ein."]
                )
            parsed = parse_table(filled)
            source_label = "Eingabe im Formular"
        report = tax_report(transactions=parsed.transactions, today=timezone.localdate())
    except (TaxImportError, TaxInputError) as exc:
        return _render_tax(
            request,
            page,
            status=400,
            errors=exc.messages,
            form_rows=rows,
            row_count=len(rows),
            mode=mode,
        )

    if output == "csv":
        years = [y.year for y in report.years]
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="kryptowelt-steuer-{span}.csv"'
        return _private(response)

    round_trip = transactions_to_csv(parsed.transactions)
    context = {
        "report": report,
        "years": presenters.tax_years(
            report, limit=PRINT_PER_YEAR if output == "druck" else SHOWN_PER_YEAR
        ),
        "parsed": parsed,
        "skipped": sorted(parsed.skipped.items()),
        "source_label": source_label,
        "valued_symbols": sorted(lookup.used),
        "round_trip": round_trip if len(round_trip) <= ROUND_TRIP_MAX_CHARS else "",
        "form_rows": rows,
        "row_count": len(rows),
        "mode": mode,
        "generated": timezone.localtime(),
    }
    if output == "druck":
        return _private(
            _render(request, page, "calculators/steuer_druck.html", _tax_context(**context))
        )
    return _render_tax(request, page, **context)


@require_GET
@cache_control(public=True, max_age=86400)
def steuer_beispiel(request):
    response = HttpResponse(SAMPLE_FILE.read_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kryptowelt-beispiel.csv"'
    return response
