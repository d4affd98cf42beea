"""Markdown to StreamField blocks, for imports and the demo content.

Block-level structure is ours (see docs/content-format.md): `##`/`###` headings become
heading blocks, `> …` with a last line `> — Name` a quotation, `:::tipp Titel … :::` a tip
box; everything between becomes paragraph blocks rendered by Python-Markdown and then
sanitised, so imported text can never carry scripts or arbitrary HTML."""

import re
import uuid

import markdown

from kryptowelt.core.sanitize import clean_rich_text

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_TIP_OPEN = re.compile(r"^:::\s*tipp\b\s*(.*)$", re.IGNORECASE)
_TIP_CLOSE = re.compile(r"^:::\s*$")
_ATTRIBUTION = re.compile(r"^(?:—|–|--|-)\s*(.+)$")
_EMPTY_PARAGRAPH = re.compile(r"^(\s*<p>\s*</p>\s*)*$")


def _block(block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def _rich_text(markdown_text: str) -> str:
    html = markdown.markdown(markdown_text, output_format="html")
    # Wagtail's rich-text format uses <b> and <i>.
    html = re.sub(r"<(/?)strong>", r"<\1b>", html)
    html = re.sub(r"<(/?)em>", r"<\1i>", html)
    html = re.sub(r"<h[1-6]>(.*?)</h[1-6]>", r"<p><b>\1</b></p>", html)
    html = re.sub(r"<blockquote>\s*(.*?)\s*</blockquote>", r"\1", html, flags=re.DOTALL)
    html = re.sub(r"<pre><code>(.*?)</code></pre>", r"<p><code>\1</code></p>", html, flags=re.S)
    return clean_rich_text(html).strip()


def markdown_to_blocks(text: str) -> list[dict]:
    """The StreamField raw data (list of block dicts) for a Markdown document."""
    blocks: list[dict] = []
    paragraph_lines: list[str] = []

    def flush_paragraphs():
        if paragraph_lines:
            html = _rich_text("\n".join(paragraph_lines))
            if html and not _EMPTY_PARAGRAPH.match(html):
                blocks.append(_block("paragraph", html))
            paragraph_lines.clear()

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()

        tip = _TIP_OPEN.match(stripped)
        if tip:
            flush_paragraphs()
            title = tip.group(1).strip() or "Tipp"
            body: list[str] = []
            index += 1
            while index < len(lines) and not _TIP_CLOSE.match(lines[index].strip()):
                body.append(lines[index])
                index += 1
            index += 1  # skip the closing ::: (or run past the end if it is missing)
            blocks.append(
                _block("tip", {"title": title[:120], "text": _rich_text("\n".join(body))})
            )
            continue

        heading = _HEADING.match(stripped)
        if heading and not line.startswith("    "):
            flush_paragraphs()
            level = "h2" if len(heading.group(1)) <= 2 else "h3"
            blocks.append(_block("heading", {"text": heading.group(2)[:200], "level": level}))
            index += 1
            continue

        if stripped.startswith(">"):
            flush_paragraphs()
            quote_lines = []
            while index < len(lines) and lines[index].strip().startswith(">"):
                quote_lines.append(lines[index].strip()[1:].strip())
                index += 1
            attribution = ""
            if len(quote_lines) > 1:
                match = _ATTRIBUTION.match(quote_lines[-1])
                if match:
                    attribution = match.group(1).strip()
                    quote_lines.pop()
            quote_text = "\n".join(line for line in quote_lines).strip()
            if quote_text:
                blocks.append(
                    _block("quote", {"text": quote_text, "attribution": attribution[:200]})
                )
            continue

        paragraph_lines.append(line)
        index += 1

    flush_paragraphs()
    return blocks
