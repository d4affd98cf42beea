"""Builders for tests and benchmarks: a whole site, as the demo makes it but small."""

from django.utils import timezone
from wagtail.models import Page, Site

from kryptowelt.calculators.models import CalculatorIndexPage
from kryptowelt.comparisons.models import ComparisonIndexPage
from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.core.models import PortalSettings, StandardPage
from kryptowelt.home.models import HomePage
from kryptowelt.markets.models import MarketsIndexPage
from kryptowelt.news.factories import SECTION_SPECS
from kryptowelt.news.models import AuthorIndexPage, SectionPage, TopicIndexPage

HOME_TITLE = "Die Welt der Kryptowährungen: Trends, Tipps und Neuigkeiten"
# The pillar pages every site has (Lexikon and Ratgeber are made by their own factories).
PILLAR_PAGES = (
    MarketsIndexPage,
    ComparisonIndexPage,
    CalculatorIndexPage,
    TopicIndexPage,
    AuthorIndexPage,
)


def _add_live(parent, page):
    """`page` below `parent`, live from the start, as if published once.

    Without a revision and without Wagtail's publish action: nearly every test builds this
    site, and publishing its dozen pages (revisions, log entries, purges and the tasks that
    follow a publish) cost about two seconds per test. Tests of publishing publish their
    own articles."""
    page.live = True
    page.first_published_at = page.last_published_at = timezone.now()
    parent.add_child(instance=page)
    return page


def site_create() -> HomePage:
    """Home page as the default site's root, the four sections, the pillar pages and the
    legal pages."""
    root = Page.get_first_root_node()
    home = _add_live(root, HomePage(title=HOME_TITLE, slug="start"))
    site = Site.objects.filter(is_default_site=True).first() or Site(
        hostname="testserver", is_default_site=True
    )
    placeholder = site.root_page if site.pk else None
    site.hostname, site.port, site.root_page = "testserver", 80, home
    site.save()
    if placeholder is not None and placeholder.specific_class is Page:
        placeholder.delete()
    for title, slug, gives_tips in SECTION_SPECS:
        section = SectionPage(
            title=title,
            slug=slug,
            intro=f"Rubrik {title}",
            gives_tips=gives_tips,
            show_in_menus=True,
            # As in the demo: "Trends" shows the market movers above its articles.
            header=[("market_movers", None)] if slug == "trends" else [],
        )
        _add_live(home, section)
    for model in PILLAR_PAGES:
        _add_live(home, model(**getattr(model, "initial_page_values", {})))
    portal = PortalSettings.load()
    for title, slug, field in (
        ("Impressum", "impressum", "impressum_page"),
        ("Datenschutz", "datenschutz", "privacy_page"),
    ):
        page = StandardPage(title=title, slug=slug, body=markdown_to_blocks(f"Text {title}"))
        setattr(portal, field, _add_live(home, page))
    portal.save()
    return home
