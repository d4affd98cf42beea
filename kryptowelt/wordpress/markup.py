"""From WordPress post content to plain HTML (no Django): block-editor comments, reusable
blocks, embeds and the classic editor's paragraphs without `<p>`.

- Block-editor (Gutenberg) content is HTML with comments around each block
  (`<!-- wp:image {"id":64} -->…<!-- /wp:image -->`). The HTML inside the blocks is kept;
  the comments tell us what to drop (more, nextpage, separator), what to replace (a
  reusable block reference by the block's content, an embed by its URL) and what to
  count for the report.
- Classic content, and "freeform" chunks between blocks, separate paragraphs by blank
  lines: `autop` adds the `<p>` and `<br>` that WordPress adds when it shows such a post.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field

_BLOCK_COMMENT = re.compile(
    r"<!--\s+(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+(\{.*?\}\s+)?(/)?-->",
    re.DOTALL,
)
_REUSABLE = re.compile(r"<!--\s+wp:block\s+(\{.*?\})\s+/-->", re.DOTALL)
_MORE = re.compile(r"<!--\s*(more|nextpage|noteaser)\b.*?-->", re.IGNORECASE | re.DOTALL)
_BLOCK_TAGS = (
    "address|article|aside|blockquote|canvas|caption|col|colgroup|dd|details|div|dl|dt|"
    "embed|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|iframe|li|main|map|math|"
    "menu|nav|noscript|object|ol|p|pre|script|section|select|style|summary|svg|table|tbody|"
    "td|tfoot|th|thead|tr|ul"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCK_TAGS})\b[^>]*>)", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCK_TAGS})>)", re.IGNORECASE)
_STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{_BLOCK_TAGS})\b|^<!--", re.IGNORECASE)
_RAW = re.compile(r"<(pre|script|style|textarea)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_DROPPED_BLOCKS = {"more", "nextpage", "separator", "spacer"}
EMBED_BLOCKS = re.compile(r"^(core-embed/[\w-]+|embed)$")
MAX_REUSABLE_DEPTH = 3


@dataclass
class Markup:
    html: str
    block_types: Counter = field(default_factory=Counter)
    missing_reusable: list[int] = field(default_factory=list)
    is_blocks: bool = False


def expand_reusable_blocks(content: str, reusable: dict[int, str], missing: list[int]) -> str:
    """Replace `<!-- wp:block {"ref":N} /-->` with the content of reusable block N."""

    def replace(match, depth):
        try:
            ref = int(json.loads(match.group(1)).get("ref", 0))
        except (ValueError, TypeError, AttributeError):
            ref = 0
        if ref in reusable and depth < MAX_REUSABLE_DEPTH:
            return _REUSABLE.sub(lambda inner: replace(inner, depth + 1), reusable[ref])
        missing.append(ref)
        return ""

    return _REUSABLE.sub(lambda match: replace(match, 0), content)


def to_html(content: str, *, reusable: dict[int, str] | None = None) -> Markup:
    """Block comments resolved and classic paragraphs marked up: HTML for the converter."""
    result = Markup(html="")
    counted = _BLOCK_COMMENT.findall(content)
    result.block_types.update(name for closing, name, _, _ in counted if not closing)
    if "<!-- wp:block" in content:
        content = expand_reusable_blocks(content, reusable or {}, result.missing_reusable)
    result.is_blocks = "<!-- wp:" in content
    if not result.is_blocks:
        result.html = autop(_MORE.sub("", content))
        return result
    output: list[str] = []
    stack: list[tuple[str, dict]] = []
    position = 0
    for match in _BLOCK_COMMENT.finditer(content):
        chunk = content[position : match.start()]
        position = match.end()
        closing, name, raw_attributes, self_closing = match.groups()
        _emit(output, chunk, stack)
        if closing:
            if stack and stack[-1][0] == name:
                stack.pop()
            continue
        attributes = _attributes(raw_attributes)
        if EMBED_BLOCKS.match(name) and not self_closing:
            url = str(attributes.get("url") or "")
            stack.append((name, attributes))
            if url:
                output.append(
                    f'\n<figure class="kw-embed" data-url="{html.escape(url)}"></figure>\n'
                )
            continue
        if not self_closing:
            stack.append((name, attributes))
    _emit(output, content[position:], stack)
    result.html = "".join(output)
    return result


def _attributes(raw: str | None) -> dict:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _emit(output: list[str], chunk: str, stack) -> None:
    if not chunk:
        return
    if not stack:
        # Freeform ("classic") content between blocks.
        if chunk.strip():
            output.append(autop(_MORE.sub("", chunk)))
        return
    names = [name for name, _ in stack]
    if any(name in _DROPPED_BLOCKS or EMBED_BLOCKS.match(name) for name in names):
        return
    output.append(_MORE.sub("", chunk))


def autop(text: str) -> str:
    """Paragraphs for text written with blank lines between them, as WordPress shows
    classic posts: blank lines end a paragraph, a single line break becomes <br>, and
    block-level elements are never wrapped in <p>."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    protected: list[str] = []

    def protect(match):
        protected.append(match.group(0))
        return f"\x00{len(protected) - 1}\x00"

    text = _RAW.sub(protect, text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_WITH_BLOCK.match(chunk) or re.fullmatch(r"\x00\d+\x00", chunk):
            paragraphs.append(chunk)
            continue
        paragraphs.append("<p>" + re.sub(r"\s*\n\s*", "<br />\n", chunk) + "</p>")
    joined = "\n".join(paragraphs)
    return re.sub(r"\x00(\d+)\x00", lambda match: protected[int(match.group(1))], joined)
