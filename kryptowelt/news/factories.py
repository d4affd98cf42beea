"""Builders for tests and benchmarks: a site with sections, authors and articles."""

import itertools

from django.utils import timezone
from wagtail.models import Page, Site

from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.core.models import HomePage, PortalSettings, SectionPage, StandardPage
from kryptowelt.news.services import article_create, author_get_or_create

_counter = itertools.count(1)

SECTION_SPECS = [
    ("Neuigkeiten", "neuigkeiten", False),
    ("Trends", "trends", False),
    ("Tipps", "tipps", True),
    ("Wissen", "wissen", False),
]


def site_create() -> HomePage:
    """Home page as the default site's root, the four sections and the legal pages."""
    root = Page.get_first_root_node()
    home = HomePage(
        title="Die Welt der Kryptowährungen: Trends, Tipps und Neuigkeiten", slug="start"
    )
    root.add_child(instance=home)
    home.save_revision().publish()
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
            title=title, slug=slug, intro=f"Rubrik {title}", gives_tips=gives_tips
        )
        home.add_child(instance=section)
        section.save_revision().publish()
    portal = PortalSettings.load()
    for title, slug, field in (
        ("Impressum", "impressum", "impressum_page"),
        ("Datenschutz", "datenschutz", "privacy_page"),
    ):
        page = StandardPage(title=title, slug=slug, body=markdown_to_blocks(f"Text {title}"))
        home.add_child(instance=page)
        page.save_revision().publish()
        setattr(portal, field, page)
    portal.save()
    return home


def section_get(slug: str) -> SectionPage:
    return SectionPage.objects.get(slug=slug)


def article_make(
    *,
    section: str = "neuigkeiten",
    title: str | None = None,
    teaser: str = "Ein kurzer Vorspann zum Artikel.",
    body: str = "## Erste Überschrift\n\nEin Absatz mit Text über Bitcoin.",
    tags=("Bitcoin",),
    author: str = "Erika Musterfrau",
    published_at=None,
    **kwargs,
):
    number = next(_counter)
    return article_create(
        section=section_get(section),
        title=title or f"Testartikel Nummer {number}",
        teaser=teaser,
        body=markdown_to_blocks(body),
        authors=[author_get_or_create(name=author)],
        tags=list(tags),
        published_at=published_at or timezone.now() - timezone.timedelta(minutes=number),
        **kwargs,
    )
