"""WordPress shortcodes in post content: `[caption]`, `[gallery]` and `[embed]` are turned
into HTML the converter understands; every other shortcode is removed (an enclosing one
keeps its content) and counted for the report (no Django).

WordPress itself only expands shortcodes that a plugin registered and leaves any other
`[text]` alone. Without the plugins we cannot know which names were registered, so a
bracketed word counts as a shortcode when it looks like one: a name we know, attributes
(`[ccpw id="5"]`), a closing tag (`[su_note]…[/su_note]`) or a name with `-` or `_`
(`[contact-form-7]`). `[sic]` or `[Update]` in running text stay text. `[[name]]` is
WordPress's escape for a literal `[name]`."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

KNOWN = {"caption", "wp_caption", "gallery", "embed"}
_TAG = re.compile(r"\[(\[?)(/?)([A-Za-z][\w-]*)((?:\s[^\[\]]*?)?)(/?)\](\]?)")
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)"""
    r"""|"([^"]*)"|'([^']*)'|(\S+)"""
)
_IMG = re.compile(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", re.IGNORECASE | re.DOTALL)
_ID_LIST = re.compile(r"\d+")
MAX_NESTING = 5


@dataclass
class ShortcodeResult:
    html: str
    unknown: Counter = field(default_factory=Counter)
    known: Counter = field(default_factory=Counter)


def parse_attributes(text: str) -> dict[str, str]:
    """Shortcode attributes as WordPress reads them: name="v", name='v', name=v, or bare
    values (numbered from 0)."""
    attributes: dict[str, str] = {}
    position = 0
    for match in _ATTRIBUTE.finditer(html.unescape(text or "")):
        groups = match.groups()
        if groups[0]:
            attributes[groups[0].lower()] = groups[1]
        elif groups[2]:
            attributes[groups[2].lower()] = groups[3]
        elif groups[4]:
            attributes[groups[4].lower()] = groups[5]
        else:
            value = next(group for group in groups[6:] if group is not None)
            attributes[str(position)] = value
            position += 1
    return attributes


def _is_shortcode(name: str, attributes: str, has_closing: bool) -> bool:
    return (
        name.lower() in KNOWN
        or bool(attributes.strip())
        or has_closing
        or (("-" in name or "_" in name) and name == name.lower())
    )


def expand_shortcodes(text: str, *, gallery_ids_for_parent=None, _depth: int = 0):
    """Replace the shortcodes in `text`. `gallery_ids_for_parent()` gives the attachment
    ids of a `[gallery]` without `ids` (WordPress shows the post's attached images)."""
    result = ShortcodeResult(html="")
    if "[" not in text or _depth > MAX_NESTING:
        result.html = text
        return result
    output: list[str] = []
    position = 0
    while True:
        match = _TAG.search(text, position)
        if match is None:
            output.append(text[position:])
            break
        escape_open, closing, name, attributes, self_closing, escape_close = match.groups()
        output.append(text[position : match.start()])
        if escape_open and escape_close:
            output.append(match.group(0)[1:-1])  # [[name]] → [name]
            position = match.end()
            continue
        if escape_open:
            output.append("[")
        if closing:
            # A stray closing tag of a shortcode we removed: drop it if it looks like one.
            if not _is_shortcode(name, "", True):
                output.append(match.group(0))
            position = match.end()
            continue
        inner = None
        end = match.end()
        if not self_closing:
            closer = re.compile(r"\[/" + re.escape(name) + r"\]", re.IGNORECASE)
            found = closer.search(text, match.end())
            if found is not None:
                inner, end = text[match.end() : found.start()], found.end()
        if not _is_shortcode(name, attributes, inner is not None):
            output.append(match.group(0)[1 if escape_open else 0 :])
            position = match.end()
            continue
        output.append(
            _render(name.lower(), attributes, inner, result, gallery_ids_for_parent, _depth)
        )
        position = end
    result.html = "".join(output)
    return result


def _render(name, attributes, inner, result, gallery_ids_for_parent, depth) -> str:
    attrs = parse_attributes(attributes)
    if name in {"caption", "wp_caption"}:
        result.known["caption"] += 1
        content = inner or ""
        image = _IMG.search(content)
        caption = attrs.get("caption") or (_IMG.sub("", content) if image else content)
        caption_html = f"<figcaption>{caption.strip()}</figcaption>" if caption.strip() else ""
        image_html = image.group(0) if image else ""
        return f'\n\n<figure class="kw-caption">{image_html}{caption_html}</figure>\n\n'
    if name == "gallery":
        result.known["gallery"] += 1
        ids = _ID_LIST.findall(attrs.get("ids") or attrs.get("include") or "")
        if not ids and gallery_ids_for_parent is not None:
            ids = [str(number) for number in gallery_ids_for_parent()]
        return f'\n\n<figure class="kw-gallery" data-ids="{",".join(ids)}"></figure>\n\n'
    if name == "embed":
        result.known["embed"] += 1
        url = html.unescape((inner or attrs.get("src") or attrs.get("0") or "").strip())
        return f'\n\n<figure class="kw-embed" data-url="{html.escape(url)}"></figure>\n\n'
    result.unknown[name] += 1
    if inner is None:
        return ""
    nested = expand_shortcodes(
        inner, gallery_ids_for_parent=gallery_ids_for_parent, _depth=depth + 1
    )
    result.unknown.update(nested.unknown)
    result.known.update(nested.known)
    return nested.html
