"""The comparison pages under /vergleich/ (the routes of ComparisonIndexPage), and what a
provider's preview in the admin shows. Thin: forms validate, selectors read."""

from django.http import Http404
from django.views.decorators.http import require_safe

from kryptowelt.comparisons import costs, fees, figure_tables, figures, scoring, selectors, tables
from kryptowelt.comparisons.forms import (
    MAX_SIDE_BY_SIDE,
    CalculatorForm,
    FilterForm,
    WeightsForm,
    parse_side_by_side,
)
from kryptowelt.comparisons.kinds import KINDS
from kryptowelt.comparisons.models import ComparisonIndexPage, Provider
from kryptowelt.core.page_views import page_context, route_view

DEFAULT_CALCULATION = {"betrag": "1000", "coin": "bitcoin", "intervall": fees.ONCE, "dauer": "12"}


def _status(form) -> int:
    """Invalid reader input: the page with a German message, as HTTP 400."""
    return 400 if form.is_bound and form.errors else 200


def _render(request, page, template: str, context: dict, *, crumb: str = "", status: int = 200):
    """A comparison page, rendered as part of /vergleich/ (menu, breadcrumbs, SEO)."""
    if crumb:
        context.setdefault("extra_crumbs", [(crumb, request.path)])
    response = page.render(request, template=template, context_overrides=context)
    response.status_code = status
    return response


@route_view(ComparisonIndexPage, "index")
@require_safe
def index(request, page):
    rows = selectors.provider_rows()
    kinds = []
    for kind in KINDS.values():
        count = sum(1 for row in rows if any(getattr(row.provider, name) for name in kind.fields))
        kinds.append({"kind": kind, "count": count})
    return _render(
        request,
        page,
        "comparisons/index.html",
        {
            "kinds": kinds,
            "provider_count": sum(1 for row in rows if row.status != selectors.UNAVAILABLE),
            "unavailable_count": sum(1 for row in rows if row.status == selectors.UNAVAILABLE),
            "rows": selectors.rows_sort(rows, "name"),
            "stand": selectors.table_stand(rows),
        },
    )


@route_view(ComparisonIndexPage, "kind")
@require_safe
def kind_list(request, page, kind_slug):
    kind = KINDS.get(kind_slug)
    if kind is None:
        raise Http404("Diesen Vergleich gibt es nicht.")
    form = FilterForm(request.GET or None, kind=kind)
    filters, sort = {}, kind.default_sort
    if form.is_bound and form.is_valid():
        filters = form.filters()
        sort = form.cleaned_data.get("sortierung") or kind.default_sort
    context = tables.kind_table(kind=kind, filters=filters, sort=sort)
    context.update(
        {
            "form": form,
            "page_title": f"{kind.title} im Vergleich",
            "meta_description": kind.intro,
        }
    )
    return _render(
        request, page, "comparisons/kind_list.html", context, crumb=kind.title, status=_status(form)
    )


@route_view(ComparisonIndexPage, "provider")
@require_safe
def provider_detail(request, page, slug):
    provider = selectors.provider_queryset().filter(slug=slug).first()
    if provider is None:
        raise Http404("Diesen Anbieter gibt es nicht.")
    return _render(
        request,
        page,
        "comparisons/provider_detail.html",
        figure_tables.provider_detail_context(provider=provider, request=request),
        crumb=provider.name,
    )


@page_context(Provider)
def provider_preview(provider, request) -> dict:
    """The admin's preview of a provider: the page readers will see."""
    return figure_tables.provider_detail_context(provider=provider, request=request)


@route_view(ComparisonIndexPage, "side_by_side")
@require_safe
def side_by_side(request, page):
    live = {p.slug: p for p in Provider.objects.live().only("slug", "name")}
    slugs, errors = parse_side_by_side(request.GET.getlist("anbieter"), set(live))
    rows = []
    if not errors and len(slugs) >= 2:
        by_slug = {row.slug: row for row in selectors.provider_rows() if row.slug in slugs}
        rows = [by_slug[slug] for slug in slugs if slug in by_slug]
    groups = figure_tables.side_by_side_groups(rows) if rows else []
    return _render(
        request,
        page,
        "comparisons/side_by_side.html",
        {
            "rows": rows,
            "groups": groups,
            "errors": errors,
            "selected": slugs,
            "choices": sorted(live.values(), key=lambda p: p.name.lower()),
            "max_providers": MAX_SIDE_BY_SIDE,
            "stand": selectors.table_stand(rows),
            "page_title": "Anbieter nebeneinander vergleichen",
            "meta_description": "Bis zu vier Krypto-Anbieter Seite an Seite: Gebühren, "
            "Regulierung, Sicherheit – jede Angabe mit Quelle und Datum.",
        },
        crumb="Gegenüberstellung",
        status=400 if errors else 200,
    )


@route_view(ComparisonIndexPage, "calculator")
@require_safe
def calculator(request, page):
    data = request.GET if request.GET else DEFAULT_CALCULATION
    form = CalculatorForm(data)
    results = None
    order = None
    if form.is_valid():
        order = form.order()
        results = costs.calculator_results(order=order)
    return _render(
        request,
        page,
        "comparisons/calculator.html",
        {
            "form": form,
            "order": order,
            "results": results,
            # The example without parameters is the page search engines should list; a
            # reader's own calculation (any parameters) is not.
            "is_example": not request.GET,
            "coins": selectors.CALCULATOR_COINS,
            "disclosure": tables.CALCULATOR_DISCLOSURE,
            "page_title": "Kostenrechner: Was kostet ein Krypto-Kauf?",
            "meta_description": "Gesamtkosten in Euro für Ihren Krypto-Kauf oder Sparplan bei "
            "jedem Anbieter – mit Handelsgebühr, Spread, festen Gebühren und Einzahlung.",
        },
        crumb="Kostenrechner",
        status=400 if form.errors else 200,
    )


@route_view(ComparisonIndexPage, "methodology")
@require_safe
def methodology(request, page):
    form = WeightsForm(request.GET or None)
    weights = scoring.DEFAULT_WEIGHTS
    if form.is_bound and form.is_valid():
        weights = form.weights()
    rows = selectors.provider_rows(weights=weights)
    trading = selectors.rows_group([r for r in rows if r.group == scoring.TRADING], "score")
    wallets = selectors.rows_group([r for r in rows if r.group == scoring.WALLET], "score")
    return _render(
        request,
        page,
        "comparisons/methodology.html",
        {
            "form": form,
            "weights": weights,
            "custom_weights": weights != scoring.DEFAULT_WEIGHTS,
            "criteria": scoring.CRITERIA,
            "weight_rows": [{"criterion": c, "weight": weights[c.key]} for c in scoring.CRITERIA],
            "trading": trading,
            "wallets": wallets,
            "stand": selectors.table_stand(rows),
            "reference_amount": scoring.REFERENCE_AMOUNT,
            "cost_zero_pct": scoring.COST_ZERO_PCT,
            "min_coverage": scoring.MIN_COVERAGE_PCT,
            "stale_after_days": figures.STALE_AFTER_DAYS,
            "trading_disclosure": tables.score_disclosure(wallet=False, weights=weights),
            "wallet_disclosure": tables.score_disclosure(wallet=True, weights=weights),
            "page_title": "So vergleichen wir: Methodik und Score",
            "meta_description": "Kriterien, Gewichte und Formeln des Kryptowelt-Scores – "
            "mit eigenen Gewichten nachrechnen.",
        },
        crumb="Methodik",
        status=_status(form),
    )
