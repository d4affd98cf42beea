"""Template helpers of the markets app: changes with arrows, logos, sparklines, the market
head of /trends/ and the price chips by an article's headline."""

from django import template
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from kryptowelt.caching.remember import remembered
from kryptowelt.caching.scopes import Scope, depends_on, reads
from kryptowelt.core import formatting
from kryptowelt.markets.selectors.coins import article_coin_chips, market_top_list
from kryptowelt.markets.selectors.quotes import market_status, snapshot_status
from kryptowelt.markets.selectors.trends import trends_head

register = template.Library()


def change_html(value, decimals: int = 1) -> str:
    """A change in percent with sign, arrow and colour class: "▲ +3,2 %" / "▼ -1,4 %".

    Direction is always readable without colour (arrow and sign). Plain string building:
    this runs 300 times for one table and contains nothing but formatted numbers."""
    number = formatting.to_decimal(value)
    if number is None:
        return '<span class="change change--none">–</span>'
    text = formatting.format_percent(number, int(decimals), sign=True)
    if text.startswith("+"):
        css, arrow = "change--up", "▲"
    elif text.startswith("-"):
        css, arrow = "change--down", "▼"
    else:
        css, arrow = "change--flat", "●"
    return f'<span class="change {css}"><span aria-hidden="true">{arrow}</span> {text}</span>'


@register.filter
def change(value, decimals=1):
    return mark_safe(change_html(value, int(decimals)))  # noqa: S308 - numbers only


@register.simple_tag
@reads(Scope.MARKETS)
def market_rows(rows):
    """The <tr> rows of the market table, built in Python (100 rows × 9 cells): the template
    engine would spend most of the page's time on them."""
    parts = []
    for row in rows:
        snapshot, coin = row["snapshot"], row["coin"]
        url = escape(coin.get_absolute_url())
        if coin.logo:
            logo = (
                f'<img class="coin-logo" src="{escape(coin.logo.url)}" alt="" width="24" '
                'height="24" loading="lazy" decoding="async">'
            )
        else:
            logo = str(coin_logo(coin, 24))
        parts.append(
            "<tr>"
            f'<td class="col-rank num">{coin.rank or ""}</td>'
            f'<th scope="row" class="col-name"><a href="{url}">{logo}'
            f'<span class="coin-name">{escape(coin.name)}</span> '
            f'<span class="coin-symbol">{escape(coin.symbol_display)}</span></a></th>'
            f'<td class="col-price num">{formatting.format_price(snapshot.price)}</td>'
            f'<td class="col-change col-1h num">{change_html(snapshot.change_1h)}</td>'
            f'<td class="col-change num">{change_html(snapshot.change_24h)}</td>'
            f'<td class="col-change num">{change_html(snapshot.change_7d)}</td>'
            f'<td class="col-cap num">{formatting.format_compact(snapshot.market_cap, "€")}</td>'
            f'<td class="col-volume num">'
            f"{formatting.format_compact(snapshot.total_volume, '€')}</td>"
            f'<td class="col-spark">{snapshot.sparkline_svg}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every text part is escaped above


LOGO_SIZES = (18, 20, 24, 32, 40)


@register.simple_tag
def coin_logo(coin, size=24):
    """A coin's logo at `size` CSS pixels. Logos are stored 64 px wide (markets/logos.py), so
    no page shows one wider than 40 px: a phone screen draws 1,5–2 device pixels per CSS
    pixel, and a larger logo would be blurred (Lighthouse: image-size-responsive)."""
    if coin is not None and coin.logo:
        return format_html(
            '<img class="coin-logo" src="{}" alt="" width="{}" height="{}" loading="lazy" '
            'decoding="async">',
            coin.logo.url,
            size,
            size,
        )
    initial = (coin.symbol or coin.name or "?")[:1].upper() if coin is not None else "?"
    # A size class, not a style attribute: the CSP allows no inline styles.
    size_class = min(LOGO_SIZES, key=lambda known: abs(known - int(size)))
    return format_html(
        '<span class="coin-logo coin-logo--empty coin-logo--{}" aria-hidden="true">{}</span>',
        size_class,
        initial,
    )


@register.inclusion_tag("markets/components/market_box.html")
@reads(Scope.MARKETS)
def market_box(limit=6):
    """The best-ranked coins with price and 24-hour change, for the home page."""
    snapshots = market_top_list(limit=int(limit))
    return {"snapshots": snapshots, "status": market_status() if snapshots else None}


# At most this long, so that the freshness note ("Kursdaten veraltet") follows the clock
# even when no sync renews the markets scope.
TRENDS_HEAD_SECONDS = 60


@register.inclusion_tag("markets/trends_head.html")
@reads(Scope.MARKETS)
def market_trends_head():
    """Movers, topics, trending coins and status, computed once per market sync (and minute)
    rather than on every request for /trends/ (a third of its render time)."""
    seconds = min(TRENDS_HEAD_SECONDS, settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS)
    return remembered("markets:trends-head", trends_head, seconds=seconds, scopes=(Scope.MARKETS,))


@register.inclusion_tag("markets/components/coin_chips.html")
def coin_chips(article):
    chips = article_coin_chips(article=article) if article is not None else []
    if chips:
        # Only an article with chips shows prices; the others stay cached through a sync.
        depends_on(Scope.MARKETS)
    statuses = [snapshot_status(snapshot=chip["snapshot"]) for chip in chips]
    return {
        "chips": chips,
        "is_sample": any(status.is_sample for status in statuses),
        "status": max(statuses, key=lambda s: s.as_of) if statuses else None,
    }


@register.filter
def amount(value, decimals=8):
    """A coin amount in German format without trailing zeros: 1 -> "1", 0.5 -> "0,5"."""
    text = formatting.format_number(value, int(decimals))
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text
