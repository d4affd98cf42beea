"""Idempotent loaders behind `kryptowelt demo`: the site with its pillar pages (`load_site`,
run first), authors and articles. The domain apps' own loaders (providers, lexicon, guides,
sample prices, related lists) are listed in settings.KRYPTOWELT_DEMO_LOADERS and get the home
page from the command; none of them imports this app.

Each loader creates what is missing and leaves what exists alone, so the command can run
on every `make run` without duplicating anything or overwriting editors' changes. One
exception: a legal page whose text is still exactly one an earlier demo wrote (and that no
editor touched) gets the current text (`legal_page_renew`, pages_text_previous.py)."""

import datetime as dt
import io
import shlex
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from kryptowelt.calculators.models import CalculatorIndexPage
from kryptowelt.comparisons.models import ComparisonIndexPage, Provider
from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.core.models import PortalSettings, StandardPage
from kryptowelt.core.services import child_page_ensure
from kryptowelt.demo import images
from kryptowelt.demo.content import CONTENT_DIR, ContentError, read_markdown_folder, read_toml
from kryptowelt.demo.pages_text import LEGAL_PAGES, SECTIONS
from kryptowelt.demo.pages_text_previous import PREVIOUS_TEXTS
from kryptowelt.home.models import HomePage
from kryptowelt.markets.models import MarketsIndexPage
from kryptowelt.news.models import Author, AuthorIndexPage, SectionPage, TopicIndexPage
from kryptowelt.news.services import article_create

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
    url = urlsplit(settings.SITE_URL)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or not url.hostname:
        return
    port = url.port or (443 if url.scheme == "https" else 80)
    if (site.hostname, site.port) != (url.hostname, port):
        site.hostname, site.port = url.hostname, port
        site.save()


# The pillars below the home page, after the sections, in menu order (Lexikon and Ratgeber
# come from their apps' loaders).
PILLAR_PAGES = (MarketsIndexPage, ComparisonIndexPage, CalculatorIndexPage)
UNLISTED_PAGES = (TopicIndexPage, AuthorIndexPage)


@transaction.atomic
def load_site(stdout=None):
    """Home page, sections, pillar pages, legal pages and footer links."""
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
            section = SectionPage(**spec, show_in_menus=True)
            if spec["slug"] == "trends":
                section.header = [("market_movers", None)]
            home.add_child(instance=section)
            section.save_revision().publish()
    for model in (*PILLAR_PAGES, *UNLISTED_PAGES):
        child_page_ensure(parent=home, model=model)

    portal = PortalSettings.load()
    changed = False
    for title, slug, text, field in LEGAL_PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = StandardPage(title=title, slug=slug, body=markdown_to_blocks(text))
            home.add_child(instance=page)
            page.save_revision().publish()
        else:
            legal_page_renew(page=page, text=text)
        if getattr(portal, f"{field}_id") is None:
            setattr(portal, field, page)
            changed = True
    if changed:
        portal.save()
    return home


def blocks_fingerprint(blocks) -> list[tuple[str, str]]:
    """A StreamField's blocks as (type, value with whitespace collapsed): equal for the same
    text however its block ids or line breaks in the stored HTML differ."""
    return [(block["type"], " ".join(str(block["value"]).split())) for block in blocks]


def legal_page_renew(*, page: StandardPage, text: str) -> bool:
    """Replace a legal page's text that an earlier demo wrote (pages_text_previous.py) with the
    current one. Only while the published text is exactly an old demo text and there is no
    draft: a page an editor has touched stays as it is. Returns whether it was replaced."""
    previous = PREVIOUS_TEXTS.get(page.slug, ())
    if not previous or page.has_unpublished_changes:
        return False
    live = blocks_fingerprint(page.body.raw_data)
    if live not in (blocks_fingerprint(markdown_to_blocks(old)) for old in previous):
        return False
    page.body = markdown_to_blocks(text)
    page.save_revision(log_action=True).publish()
    return True


def load_authors():
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


def load_articles(*, home, stdout=None):
    """The demo articles from kryptowelt/demo/content/articles/*.md."""
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
                body=article_body(document.body),
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


def article_body(markdown: str) -> list[dict]:
    """Markdown with `@@ <block> key=value` lines for blocks Markdown has no syntax for
    (comparison tables, provider boxes); see docs/content-format.md."""
    blocks: list[dict] = []
    chunk: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("@@ "):
            blocks.extend(markdown_to_blocks("\n".join(chunk)))
            chunk = []
            block = _directive_block(line)
            if block is not None:
                blocks.append(block)
        else:
            chunk.append(line)
    blocks.extend(markdown_to_blocks("\n".join(chunk)))
    return blocks


def _directive_block(line: str) -> dict | None:
    """`@@ comparison_table kind=… sort=… limit=6` or `@@ provider_box provider=<slug>` as
    StreamField data; None if the provider does not exist."""
    block_type, *pairs = shlex.split(line[2:].strip())
    options = dict(pair.split("=", 1) for pair in pairs)
    if block_type == "comparison_table":
        value = {
            "heading": options.get("heading", ""),
            "kind": options.get("kind", "krypto-boersen"),
            "only_eu": options.get("eu") == "1",
            "only_sparplan": options.get("sparplan") == "1",
            "only_sepa": options.get("sepa") == "1",
            "only_staking": options.get("staking") == "1",
            "min_coins": int(options["min_coins"]) if options.get("min_coins") else None,
            "sort": options.get("sort", "score"),
            "limit": int(options.get("limit", 8)),
        }
        return {"type": "comparison_table", "value": value}
    if block_type == "provider_box":
        provider = Provider.objects.filter(slug=options.get("provider", "")).first()
        if provider is None:
            return None
        value = {"provider": provider.pk, "heading": options.get("heading", "")}
        return {"type": "provider_box", "value": value}
    raise ContentError(f"Unbekannter Block {block_type!r}")
