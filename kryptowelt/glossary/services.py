"""Writes for the lexicon: creating the index and term pages (demo, imports)."""

from django.db import transaction

from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.glossary.content import TermEntry, separate_lists
from kryptowelt.glossary.models import LexiconIndexPage, LexiconRelatedTerm, LexiconTermPage

LEXICON_INTRO = (
    "Von Altcoin bis Zwei-Faktor-Authentisierung: Das Krypto-Lexikon erklärt die wichtigsten "
    "Begriffe rund um Kryptowerte in einfachem Deutsch – jeweils mit einem Satz zum schnellen "
    "Nachschlagen und einer ausführlichen Erklärung. Begriffe aus dem Lexikon sind in unseren "
    "Artikeln automatisch verlinkt."
)


def lexicon_index_get_or_create(*, home, title: str = "Krypto-Lexikon") -> LexiconIndexPage:
    index = LexiconIndexPage.objects.child_of(home).first()
    if index is None:
        index = LexiconIndexPage(
            title=title,
            slug="lexikon",
            show_in_menus=True,
            menu_title="Lexikon",
            intro=LEXICON_INTRO,
            seo_title="Krypto-Lexikon: Begriffe von A bis Z einfach erklärt",
            search_description=(
                "Über 100 Begriffe rund um Bitcoin, Wallets, Börsen, Steuern und Regulierung – "
                "kurz definiert und ausführlich erklärt."
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


@transaction.atomic
def lexicon_terms_create(*, index: LexiconIndexPage, entries: list[TermEntry]) -> int:
    """Create and publish the entries that do not exist below `index` yet (by slug).

    Existing term pages are left as they are, so editors' changes survive. Returns the
    number of new pages."""
    existing = {page.slug: page for page in LexiconTermPage.objects.child_of(index)}
    created: list[tuple[LexiconTermPage, TermEntry]] = []
    for entry in entries:
        if entry.slug in existing:
            continue
        page = LexiconTermPage(
            title=entry.title,
            slug=entry.slug,
            short_definition=entry.short,
            body=markdown_to_blocks(separate_lists(entry.body)),
            variants="\n".join(entry.variants),
            case_sensitive=entry.case_sensitive,
            autolink=entry.autolink,
            sources="\n".join(entry.sources),
        )
        index.add_child(instance=page)
        existing[entry.slug] = page
        created.append((page, entry))
    # Related terms point at pages that may only now exist, hence a second pass.
    for page, entry in created:
        for order, slug in enumerate(entry.related):
            page.related_term_links.add(LexiconRelatedTerm(term=existing[slug], sort_order=order))
        # The revision carries the new links; publishing writes them to the page.
        page.save_revision().publish()
    return len(created)
