"""Template helpers for the comparison pages: a sourced figure with its date, or
"nicht geprüft"."""

from django import template

from kryptowelt.comparisons import figures
from kryptowelt.comparisons.selectors import today

register = template.Library()


@register.inclusion_tag("comparisons/includes/fact.html")
def fact_cell(fact, compact=False):
    """Value, source link and check date of a figure; stale and re-check markers. A figure the
    provider does not publish is shown as such, with the page where it is missing."""
    documented = fact is not None and fact.documented
    return {
        "fact": fact if documented else None,
        "unsourced": fact is not None and not documented,
        "stale": documented and fact.is_stale(today()),
        "compact": compact,
        "stale_months": figures.STALE_AFTER_DAYS // 30,
    }


@register.simple_tag
def row_fact(row, key, coin=""):
    return row.fact(key, coin)


@register.filter
def criterion(score, key):
    return score.criterion(key)


@register.filter
def weight_of(weights, key):
    return weights.get(key, 0)
