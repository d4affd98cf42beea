"""Builders for tests and benchmarks: a lexicon index and terms."""

from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.core.text import german_slugify
from kryptowelt.glossary.models import LexiconIndexPage, LexiconRelatedTerm, LexiconTermPage
from kryptowelt.glossary.services import lexicon_index_get_or_create


def lexicon_index_make(*, home) -> LexiconIndexPage:
    return lexicon_index_get_or_create(home=home)


def term_make(
    *,
    index: LexiconIndexPage,
    title: str,
    short: str = "",
    variants: tuple[str, ...] = (),
    slug: str = "",
    body: str = "",
    case_sensitive: bool = False,
    autolink: bool = True,
    related: tuple[LexiconTermPage, ...] = (),
    sources: tuple[str, ...] = (),
    publish: bool = True,
) -> LexiconTermPage:
    page = LexiconTermPage(
        title=title,
        slug=slug or german_slugify(title),
        short_definition=short or f"{title} ist ein Begriff aus der Kryptowelt.",
        body=markdown_to_blocks(body or f"Eine ausführliche Erklärung zu {title}."),
        variants="\n".join(variants),
        case_sensitive=case_sensitive,
        autolink=autolink,
        sources="\n".join(sources),
        live=publish,
    )
    index.add_child(instance=page)
    for order, other in enumerate(related):
        page.related_term_links.add(LexiconRelatedTerm(term=other, sort_order=order))
    revision = page.save_revision()
    if publish:
        revision.publish()
    elif related:
        page.save()
    return page
