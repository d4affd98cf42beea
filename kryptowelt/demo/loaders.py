"""Idempotent loaders behind `kryptowelt demo` (listed in settings.KRYPTOWELT_DEMO_LOADERS).

Each loader creates what is missing and leaves what exists alone, so the command can run
on every `make run` without duplicating anything or overwriting editors' changes."""

import datetime as dt
import io

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.core.models import HomePage, PortalSettings, SectionPage, StandardPage
from kryptowelt.demo import images
from kryptowelt.demo.content import CONTENT_DIR, ContentError, read_markdown_folder, read_toml
from kryptowelt.demo.pages_text import LEGAL_PAGES, SECTIONS

HOME_TITLE = "Die Welt der Kryptowährungen: Trends, Tipps und Neuigkeiten"


def demo_image(*, key: str, motif: str, title: str, portrait: bool = False):
    """A generated image, created once per key (the key is stored as the image title)."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = images.portrait_bytes(key) if portrait else images.hero_image_bytes(motif, key)
    alt = (
        f"Initialen von {key} (Platzhalter, kein Foto)"
        if portrait
        else images.ALT_TEXTS.get(motif, images.ALT_TEXTS["education"])
    )
    image = Image(title=title, description=alt, credit=images.CREDIT)
    image.file = ImageFile(io.BytesIO(data), name=f"{key}.jpg")
    image.save()
    return image


def site_sync_with_settings():
    """Point the default site's host and port at SITE_URL, so absolute links in feeds,
    sitemaps and JSON-LD match where the demo is actually served."""
    from urllib.parse import urlsplit

    from django.conf import settings

    url = urlsplit(settings.SITE_URL)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or not url.hostname:
        return
    port = url.port or (443 if url.scheme == "https" else 80)
    if (site.hostname, site.port) != (url.hostname, port):
        site.hostname, site.port = url.hostname, port
        site.save()


@transaction.atomic
def load_site(stdout=None):
    """Home page, sections, legal pages and footer links."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title=HOME_TITLE,
            slug="start",
            seo_title="Kryptowelt – Die Welt der Kryptowährungen",
            search_description=(
                "Neuigkeiten, Trends und Tipps zu Kryptowährungen: Kurse, Vergleiche, "
                "Lexikon und Rechner – verständlich, belegt und ohne Tracking."
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        # Point the site at our home page and drop Wagtail's "Welcome" placeholder.
        site = Site.objects.filter(is_default_site=True).first()
        placeholder = site.root_page if site else None
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        site.root_page = home
        site.site_name = "Kryptowelt"
        site.save()
        if placeholder is not None and placeholder.specific_class is Page:
            placeholder.delete()

    site_sync_with_settings()

    for spec in SECTIONS:
        if not SectionPage.objects.child_of(home).filter(slug=spec["slug"]).exists():
            section = SectionPage(**spec)
            home.add_child(instance=section)
            section.save_revision().publish()

    portal = PortalSettings.load()
    changed = False
    for title, slug, text, field in LEGAL_PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = StandardPage(title=title, slug=slug, body=markdown_to_blocks(text))
            home.add_child(instance=page)
            page.save_revision().publish()
        if getattr(portal, f"{field}_id") is None:
            setattr(portal, field, page)
            changed = True
    if changed:
        portal.save()
    return home


def load_authors():
    from kryptowelt.news.models import Author

    authors = {}
    for spec in read_toml(CONTENT_DIR / "authors.toml")["author"]:
        author = Author.objects.filter(slug=spec["slug"]).first()
        if author is None:
            author = Author.objects.create(
                name=spec["name"],
                slug=spec["slug"],
                role=spec.get("role", ""),
                bio=spec.get("bio", ""),
                photo=demo_image(
                    key=spec["name"], motif="", title=f"Demo-Porträt {spec['name']}", portrait=True
                ),
            )
        authors[author.name] = author
    return authors


def load_articles(stdout=None):
    """The demo articles from kryptowelt/demo/content/articles/*.md."""
    from kryptowelt.news.services import article_create

    home = HomePage.objects.first() or load_site()
    sections = {page.slug: page for page in SectionPage.objects.child_of(home)}
    authors = load_authors()
    now = timezone.now().replace(second=0, microsecond=0)
    created = 0
    documents = read_markdown_folder(CONTENT_DIR / "articles")
    # Oldest first, so publication order matches the dates.
    documents.sort(key=lambda doc: -float(doc.meta.get("age_hours", 0)))
    for document in documents:
        meta = document.meta
        section = sections.get(meta.get("section"))
        if section is None:
            raise ContentError(f"{document.path.name}: unbekannte Rubrik {meta.get('section')!r}")
        if section.get_children().filter(slug=document.slug).exists():
            continue
        names = meta.get("authors") or [meta["author"]]
        missing = [name for name in names if name not in authors]
        if missing:
            raise ContentError(f"{document.path.name}: unbekannte Autoren {missing}")
        published_at = now - dt.timedelta(hours=float(meta.get("age_hours", 24)))
        updated_at = None
        if meta.get("updated_hours") is not None:
            updated_at = now - dt.timedelta(hours=float(meta["updated_hours"]))
        with transaction.atomic():
            hero = demo_image(
                key=document.slug,
                motif=meta.get("image_motif", "education"),
                title=f"Aufmacher: {meta['title']}"[:255],
            )
            article_create(
                section=section,
                title=meta["title"],
                teaser=meta["teaser"],
                body=markdown_to_blocks(document.body),
                authors=[authors[name] for name in names],
                tags=meta.get("tags", []),
                slug=document.slug,
                published_at=published_at,
                updated_at=updated_at,
                hero_image=hero,
                seo_title=meta.get("seo_title", ""),
                search_description=meta.get("seo_description", ""),
            )
        created += 1
    if stdout is not None:
        stdout.write(f"Artikel: {created} neu, {len(documents) - created} bereits vorhanden.")
