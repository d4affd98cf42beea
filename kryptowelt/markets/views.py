"""/kurse/ and /kurse/<coin>/ (the routes of MarketsIndexPage): thin views over the
selectors; nothing here calls CoinGecko."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.http import Http404
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from kryptowelt.caching.scopes import Scope, reads
from kryptowelt.core.page_views import route_view
from kryptowelt.core.pagination import paginate
from kryptowelt.markets.coingecko.payloads import COIN_ID_RE
from kryptowelt.markets.converter import AmountError, parse_amount
from kryptowelt.markets.models import MarketsIndexPage
from kryptowelt.markets.selectors.coins import (
    TABLE_PAGE_SIZE,
    TABLE_SORTS,
    coin_articles,
    coin_has_history,
    market_table,
)
from kryptowelt.markets.selectors.quotes import (
    chart_end_lag,
    coin_get,
    coin_key_figures,
    coin_snapshot,
    history_status,
    market_status,
    snapshot_status,
)
from kryptowelt.markets.selectors.series import (
    CHART_RANGE_NAMES,
    CHART_RANGES,
    DEFAULT_RANGE,
    coin_chart,
)
from kryptowelt.markets.services.state import markets_generation
from kryptowelt.markets.templatetags.markets_tags import market_rows

COLUMNS = [
    # (sort key, label, numeric, CSS class)
    ("rang", "Rang", True, "col-rank"),
    ("name", "Name", False, "col-name"),
    ("preis", "Kurs", True, "col-price"),
    ("1h", "1 h", True, "col-change col-1h"),
    ("24h", "24 h", True, "col-change"),
    ("7t", "7 T", True, "col-change"),
    ("marktkap", "Marktkapitalisierung", True, "col-cap"),
    ("volumen", "Volumen (24 h)", True, "col-volume"),
]
DEFAULT_DIRECTION = {"rang": "auf", "name": "auf"}


NAME_QUERY_MAX = 60


@route_view(MarketsIndexPage, "index")
@require_GET
@reads(Scope.MARKETS)
def market_list(request, page):
    sort = request.GET.get("sortierung", "rang")
    if sort not in TABLE_SORTS:
        sort = "rang"
    direction = request.GET.get("richtung") or DEFAULT_DIRECTION.get(sort, "ab")
    if direction not in {"auf", "ab"}:
        direction = DEFAULT_DIRECTION.get(sort, "ab")
    # "Coin suchen": a plain GET form, so it works without JavaScript.
    name = " ".join(request.GET.get("name", "").split())[:NAME_QUERY_MAX]
    table = market_table(sort=sort, direction=direction, name=name)
    page_obj = paginate(request, table, TABLE_PAGE_SIZE)
    rows = [{"snapshot": snapshot, "coin": snapshot.coin} for snapshot in page_obj]
    if name:
        rows_html = market_rows(rows)
    else:
        # The rows only change with the data: cached per sync generation, sort and page.
        rows_key = f"kw:markets:rows:{markets_generation()}:{sort}:{direction}:{page_obj.number}"
        rows_html = cache.get(rows_key)
        if rows_html is None:
            rows_html = market_rows(rows)
            cache.set(rows_key, str(rows_html), 3600)
    kept = {"name": name} if name else {}
    columns = []
    for key, label, numeric, css in COLUMNS:
        active = key == sort
        next_direction = DEFAULT_DIRECTION.get(key, "ab")
        if active:
            next_direction = "ab" if direction == "auf" else "auf"
        columns.append(
            {
                "key": key,
                "label": label,
                "css": css,
                "numeric": numeric,
                "aria_sort": ("ascending" if direction == "auf" else "descending")
                if active
                else "",
                "url": "?" + urlencode({**kept, "sortierung": key, "richtung": next_direction}),
            }
        )
    sort_query = {**kept}
    if sort != "rang" or direction != "auf":
        sort_query.update({"sortierung": sort, "richtung": direction})
    # Pages are labelled by position in the list; the # column shows CoinGecko's rank,
    # which has gaps where CoinGecko listed a coin without complete data.
    page_links = [
        {
            "number": number,
            "label": f"{(number - 1) * TABLE_PAGE_SIZE + 1}–"
            f"{min(number * TABLE_PAGE_SIZE, page_obj.paginator.count)}",
            "url": "?" + urlencode({**sort_query, "seite": number}),
        }
        for number in page_obj.paginator.page_range
    ]
    return page.render(
        request,
        template="markets/market_list.html",
        context_overrides={
            "page_obj": page_obj,
            "rows_html": mark_safe(rows_html),  # noqa: S308 - built by market_rows
            "columns": columns,
            "page_links": page_links,
            "sort_label": next(label for key, label, *_ in COLUMNS if key == sort),
            "name_query": name,
            "sort_fields": {k: v for k, v in sort_query.items() if k != "name"},
            "status": market_status(),
            "has_coins": bool(name) or page_obj.paginator.count > 0,
        },
    )


def _converter(request, price: Decimal | None) -> dict:
    """The coin↔€ converter also works without JavaScript, through ?menge= or ?euro=.

    When both fields arrive (the form sends both), the euro field wins only if the reader
    changed it, i.e. it no longer matches the coin amount."""
    result = {"amount": "1", "euro": "", "error": "", "submitted": False}
    if price is None or price <= 0:
        return result
    raw_amount, raw_euro = request.GET.get("menge", ""), request.GET.get("euro", "")
    if not raw_amount and not raw_euro:
        result["amount_value"] = Decimal(1)
        result["euro_value"] = price.quantize(Decimal("0.01"), ROUND_HALF_UP)
        return result
    result["submitted"] = True
    values = {}
    for field, raw in (("menge", raw_amount), ("euro", raw_euro)):
        if raw:
            try:
                values[field] = parse_amount(raw)
            except AmountError as exc:
                result["error"] = str(exc)
                result["amount"], result["euro"] = raw_amount[:32], raw_euro[:32]
                return result
    use_euro = "euro" in values and (
        "menge" not in values or abs(values["menge"] * price - values["euro"]) > Decimal("0.005")
    )
    if use_euro:
        result["euro_value"] = values["euro"]
        result["amount_value"] = (values["euro"] / price).quantize(Decimal("1e-8"), ROUND_HALF_UP)
    else:
        result["amount_value"] = values["menge"]
        result["euro_value"] = (values["menge"] * price).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return result


@route_view(MarketsIndexPage, "coin")
@require_GET
@reads(Scope.MARKETS)
def coin_detail(request, page, coin_id: str):
    if not COIN_ID_RE.match(coin_id):
        raise Http404("Unbekannte Kryptowährung")
    coin = coin_get(coin_id=coin_id)
    if coin is None:
        raise Http404("Unbekannte Kryptowährung")
    snapshot = coin_snapshot(coin)
    if snapshot is None and not coin_has_history(coin=coin):
        raise Http404("Für diese Kryptowährung liegen keine Kurse vor")
    range_key = request.GET.get("zeitraum", DEFAULT_RANGE)
    if range_key not in CHART_RANGE_NAMES:
        range_key = DEFAULT_RANGE
    chart = coin_chart(coin=coin, range_key=range_key)
    price = snapshot.price if snapshot else None
    if snapshot is None:
        status = history_status(coin=coin)
        if chart["stats"]:
            price = chart["stats"]["last"]
    else:
        status = snapshot_status(snapshot=snapshot)
    ranges = [
        {
            "key": key,
            "label": label,
            "name": CHART_RANGE_NAMES[key],
            "url": "?" + urlencode({"zeitraum": key}) + "#chart",
            "active": key == chart["range"],
        }
        for key, label, _ in CHART_RANGES
    ]
    return page.render(
        request,
        template="markets/coin_detail.html",
        context_overrides={
            "coin": coin,
            "snapshot": snapshot,
            "price": price,
            "chart": chart,
            "chart_ends_early": chart_end_lag(
                ends_at=chart.get("ends_at"), range_key=chart["range"]
            ),
            "figures": coin_key_figures(snapshot=snapshot, chart_stats=chart["stats"], price=price),
            "ranges": ranges,
            "status": status,
            "converter": _converter(request, price),
            "articles": coin_articles(coin=coin),
            "page_title": f"{coin.name} ({coin.symbol_display}) Kurs in Euro",
            "meta_description": (
                f"{coin.name}-Kurs in Euro mit Chart (24 Stunden bis Gesamtzeitraum), "
                "Marktkapitalisierung, Handelsvolumen, Allzeithoch, Umrechner und Neuigkeiten."
            ),
            "canonical_url": coin.get_absolute_url(),
            "extra_crumbs": [(coin.name, coin.get_absolute_url())],
        },
    )
