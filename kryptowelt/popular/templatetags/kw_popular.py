"""`{% most_read %}` / `{% most_read section=page %}`: the „Meistgelesen“ box (24 hours and
7 days) for the home page and a section page, from components/most_read.html.

A tag, so that the pages showing it need no change to their context, and news and home know
nothing of this app."""

from django import template
from django.conf import settings

from kryptowelt.caching.remember import remembered
from kryptowelt.core.models import PortalSettings
from kryptowelt.popular.selectors import article_most_read_list

register = template.Library()


def _privacy_url() -> str:
    page = PortalSettings.load().privacy_page
    return page.url if page is not None and page.live else ""


@register.inclusion_tag("components/most_read.html")
def most_read(section=None, limit: int | None = None):
    limit = limit or settings.KRYPTOWELT_MOST_READ_LIMIT
    day = article_most_read_list(period="24h", section=section, limit=limit)
    week = article_most_read_list(period="7d", section=section, limit=limit)
    return {
        "day": day.entries,
        "week": week.entries,
        "section": section,
        "privacy_url": remembered("popular:privacy-url", _privacy_url, seconds=3600),
    }
