"""Template helpers of the markets app: changes with arrows, logos, sparklines, the market
head of /trends/ and the price chips by an article's headline."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from kryptowelt.core import formatting
from kryptowelt.markets import selectors

register = template.Library()


@register.filter
def change(value, decimals=1):
    """A change in percent with sign, arrow and colour class: "▲ +3,2 %" / "▼ -1,4 %".

    Direction is always readable without colour (arrow and sign)."""
    number = formatting.to_decimal(value)
    if number is None:
        return mark_safe('<span class="change change--none">–</span>')  # noqa: S308
    text = formatting.format_percent(number, int(decimals), sign=True)
    if text.startswith("+"):
        css, arrow = "change--up", "▲"
    elif text.startswith("-"):
        css, arrow = "change--down", "▼"
    else:
        css, arrow = "change--flat", "●"
    return format_html(
        '<span class="change {}"><span aria-hidden="true">{}</span> {}</span>', css, arrow, text
    )


@register.simple_tag
def coin_logo(coin, size=24):
    if coin is not None and coin.logo:
        return format_html(
            '<img class="coin-logo" src="{}" alt="" width="{}" height="{}" loading="lazy" '
            'decoding="async">',
            coin.logo.url,
            size,
            size,
        )
    initial = (coin.symbol or coin.name or "?")[:1].upper() if coin is not None else "?"
    return format_html(
        '<span class="coin-logo coin-logo--empty" style="--size:{}px" aria-hidden="true">{}</span>',
        size,
        initial,
    )


@register.simple_tag
def table_sparkline(snapshot):
    return mark_safe(selectors.table_sparkline(snapshot))  # noqa: S308 - built from numbers


@register.inclusion_tag("markets/trends_head.html")
def market_trends_head():
    return selectors.trends_head()


@register.inclusion_tag("markets/components/coin_chips.html")
def coin_chips(article):
    chips = selectors.article_coin_chips(article=article) if article is not None else []
    statuses = [selectors.snapshot_status(snapshot=chip["snapshot"]) for chip in chips]
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
