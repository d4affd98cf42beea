"""Demo loaders for `kryptowelt demo` (listed in settings.KRYPTOWELT_DEMO_LOADERS)."""

import datetime as dt
import shlex
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kryptowelt.comparisons.models import Provider
from kryptowelt.comparisons.services import provider_permissions_grant, providers_import

ARTICLES_DIR = Path(__file__).resolve().parent / "content" / "articles"


def load_providers(stdout=None):
    """Anbieter für die Vergleiche (kryptowelt/comparisons/content/providers.toml)."""
    created, existing = providers_import()
    provider_permissions_grant()
    if stdout is not None:
        stdout.write(f"Anbieter: {created} neu, {existing} bereits vorhanden.")


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
    raise ValueError(f"Unbekannter Block {block_type!r}")


def article_body(markdown: str) -> list[dict]:
    """Markdown with `@@ <block> key=value` lines for the comparison blocks."""
    from kryptowelt.core.markdown import markdown_to_blocks

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


def load_comparison_articles(stdout=None):
    """Ratgeber-Artikel mit Vergleichsblöcken (kryptowelt/comparisons/content/articles/)."""
    from kryptowelt.core.models import HomePage, SectionPage
    from kryptowelt.demo.content import ContentError, read_markdown_folder
    from kryptowelt.demo.loaders import demo_image, load_authors
    from kryptowelt.news.services import article_create

    home = HomePage.objects.first()
    if home is None:
        return
    sections = {page.slug: page for page in SectionPage.objects.child_of(home)}
    authors = load_authors()
    now = timezone.now().replace(second=0, microsecond=0)
    created = 0
    documents = read_markdown_folder(ARTICLES_DIR)
    for document in documents:
        meta = document.meta
        section = sections.get(meta["section"])
        if section is None:
            raise ContentError(f"{document.path.name}: unbekannte Rubrik {meta['section']!r}")
        if section.get_children().filter(slug=document.slug).exists():
            continue
        with transaction.atomic():
            article_create(
                section=section,
                title=meta["title"],
                teaser=meta["teaser"],
                body=article_body(document.body),
                authors=[authors[name] for name in meta["authors"]],
                tags=meta.get("tags", []),
                slug=document.slug,
                published_at=now - dt.timedelta(hours=float(meta.get("age_hours", 24))),
                hero_image=demo_image(
                    key=document.slug,
                    motif=meta.get("image_motif", "exchange"),
                    title=f"Aufmacher: {meta['title']}"[:255],
                ),
                search_description=meta.get("seo_description", ""),
            )
        created += 1
    if stdout is not None:
        stdout.write(
            f"Vergleichs-Artikel: {created} neu, {len(documents) - created} bereits vorhanden."
        )
