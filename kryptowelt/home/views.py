"""What the home page shows (registered with kryptowelt.core.page_views)."""

from kryptowelt.core.page_views import page_context
from kryptowelt.home.models import HomePage
from kryptowelt.home.selectors import home_pillars
from kryptowelt.news.selectors import home_page_content


@page_context(HomePage)
def home_context(page, request) -> dict:
    return {**home_page_content(home=page), "pillars": home_pillars(home=page)}
