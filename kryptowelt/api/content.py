"""StreamField bodies for the API: as sanitised HTML (each block rendered by its own template,
then cleaned by nh3 with an allow-list, links made absolute) and as blocks (type, id, value
with rich text expanded and cleaned the same way, images as renditions)."""

from __future__ import annotations

from typing import Any

import nh3
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText, expand_db_html
from wagtail.snippets.blocks import SnippetChooserBlock

from kryptowelt.api.links import DETAIL_RENDITION, absolute, image_data, page_url

# What a consumer's page can show safely: text structure, links, images, tables. No script,
# no style, no event handler, no iframe (embeds are given as their address instead), no class.
HTML_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sup",
    "sub", "code", "a", "ul", "ol", "li", "blockquote", "cite", "figure", "figcaption", "img",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "section", "aside",
    "footer", "span", "div", "dl", "dt", "dd", "small", "abbr", "time",
}  # fmt: skip
HTML_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "time": {"datetime"},
    "abbr": {"title"},
}


def _absolute_links(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        return absolute(value)
    return value


def clean_html(markup: str) -> str:
    """HTML from our templates or editors, reduced to the allow-list, with absolute links."""
    return nh3.clean(
        markup,
        tags=HTML_TAGS,
        clean_content_tags={"script", "style", "template", "svg", "noscript", "iframe"},
        attributes=HTML_ATTRIBUTES,
        attribute_filter=_absolute_links,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        strip_comments=True,
    ).strip()


def stream_html(stream) -> str:
    """Every block of a StreamField rendered by its template, then cleaned."""
    return clean_html("\n".join(str(child.render()) for child in stream))


def rich_text_html(value) -> str:
    source = value.source if isinstance(value, RichText) else str(value or "")
    return clean_html(expand_db_html(source))


def _value(block: blocks.Block, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(block, blocks.RichTextBlock):
        return rich_text_html(value)
    if isinstance(block, ImageChooserBlock):
        return image_data(value, DETAIL_RENDITION)
    if isinstance(block, EmbedBlock):
        return {"url": value.url}
    if isinstance(block, blocks.PageChooserBlock):
        page = value.specific if hasattr(value, "specific") else value
        return {"id": page.pk, "title": page.title, "url": page_url(page)}
    if isinstance(block, SnippetChooserBlock):
        data = {"id": value.pk, "name": str(value)}
        if hasattr(value, "slug"):
            data["slug"] = value.slug
        if hasattr(value, "get_absolute_url"):
            data["url"] = absolute(value.get_absolute_url() or "") or None
        return data
    if isinstance(block, blocks.StructBlock):
        return {name: _value(child, value.get(name)) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        return [_value(block.child_block, item) for item in value]
    if isinstance(block, blocks.StreamBlock):
        return stream_blocks(value)
    return block.get_api_representation(value)


def stream_blocks(stream) -> list[dict]:
    """Every block as {"type", "id", "value"}."""
    return [
        {"type": child.block_type, "id": child.id, "value": _value(child.block, child.value)}
        for child in stream
    ]
