"""Sanitising of HTML that did not come from our own templates: oEmbed responses and
imported Markdown and WordPress content. Uses nh3 (the Rust ammonia sanitiser) with strict allow-lists."""

import nh3

RICH_TEXT_TAGS = {"p", "b", "i", "a", "ul", "ol", "li", "br", "sup", "sub", "code"}
RICH_TEXT_ATTRIBUTES = {"a": {"href"}}
EMBED_ATTRIBUTES = {
    "iframe": {
        "src",
        "width",
        "height",
        "title",
        "allow",
        "allowfullscreen",
        "frameborder",
        "referrerpolicy",
        "loading",
    }
}


def clean_rich_text(markup: str) -> str:
    """HTML limited to what our rich-text editor produces; scripts and handlers removed."""
    return nh3.clean(
        markup,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


# Rich text as Wagtail stores it: links to pages and documents are `<a linktype="page" id="7">`
# and are expanded to addresses only when rendered. Importers that write such links clean with
# this list; everything else is the editor's allow-list above.
STORED_RICH_TEXT_ATTRIBUTES = {"a": {"href", "linktype", "id"}}


def clean_stored_rich_text(markup: str) -> str:
    """Like clean_rich_text, keeping Wagtail's internal page and document links."""
    return nh3.clean(
        markup,
        tags=RICH_TEXT_TAGS,
        attributes=STORED_RICH_TEXT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


def clean_embed_html(markup: str) -> str:
    """Only an https iframe survives from an oEmbed response; anything else is dropped."""
    cleaned = nh3.clean(
        markup or "",
        tags={"iframe"},
        attributes=EMBED_ATTRIBUTES,
        url_schemes={"https"},
        link_rel=None,
    )
    if 'src="https://' not in cleaned:
        return ""
    return cleaned


# What editors' rich text may contain once rendered (Wagtail has expanded its internal links
# and images by then). Anything else – <script>, event handlers, javascript: links, styles – is
# removed on every render, whatever path the stored value came in by (admin, import, API, DB).
RENDERED_RICH_TEXT_TAGS = {
    *RICH_TEXT_TAGS,
    *{"strong", "em", "u", "s", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "img"},
}
RENDERED_RICH_TEXT_ATTRIBUTES = {
    "a": {"href", "id"},
    "img": {"src", "alt", "width", "height", "class"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}


def clean_rendered_rich_text(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=RENDERED_RICH_TEXT_TAGS,
        attributes=RENDERED_RICH_TEXT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )
