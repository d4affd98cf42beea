from django import template
from django.utils.safestring import mark_safe

from kryptowelt.glossary.models import LexiconTermPage
from kryptowelt.glossary.selectors import linked_fragments

register = template.Library()

# Blocks whose running text gets term links; headings, quotes, images, embeds and the
# blocks of other apps (price boxes, tables …) are left alone.
LINKED_BLOCK_TYPES = frozenset({"paragraph", "tip"})


@register.simple_tag(takes_context=True)
def glossary_body(context, page, field: str = "body"):
    """Render a page's StreamField like `{% include_block %}` would, with the first mention
    of each lexicon term linked to its entry.

    Pages opt out with a false `glossary_links` attribute (the per-article switch); a term
    page never links to itself."""
    stream = getattr(page, field, None) or []
    flat = context.flatten()
    rendered = []
    linkable = []
    for block in stream:
        rendered.append(str(block.render_as_block(context=flat)))
        linkable.append(block.block_type in LINKED_BLOCK_TYPES)
    if getattr(page, "glossary_links", True) and any(linkable):
        exclude = (page.slug,) if isinstance(page, LexiconTermPage) else ()
        fragments = [html for html, link in zip(rendered, linkable, strict=True) if link]
        linked = iter(linked_fragments(fragments=fragments, exclude=exclude))
        rendered = [
            next(linked) if link else html for html, link in zip(rendered, linkable, strict=True)
        ]
    return mark_safe("".join(rendered))  # noqa: S308 - block templates escape; linker escapes
