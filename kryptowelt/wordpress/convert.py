"""WordPress HTML → our StreamField blocks, with everything unsafe removed and reported.

The converter walks the parsed HTML and builds new markup from an allow-list (paragraphs,
bold, italic, links, lists, super- and subscript, code, line breaks), so nothing it does not
know can pass; the result then goes through the same nh3 sanitiser as all imported rich text
(`core.sanitize`), and is sanitised again on every render like editor content. Everything
dropped on the way is recorded as a finding (what, where) for the report: scripts, styles,
forms, SVG, iframes from unknown hosts, Flash objects, event-handler attributes and
`javascript:`/`data:` links.

Block mapping: p/ul/ol → paragraph (consecutive ones merged into one rich-text block),
h1–h6 → heading, blockquote and pull quotes → quote, figure/img/galleries → image blocks,
tables → table, embeds and video iframes → our click-to-load embed; separators, more and
page breaks are dropped. Links and images are resolved by the importer (`resolver`)."""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction

from kryptowelt.core.sanitize import clean_stored_rich_text
from kryptowelt.wordpress.convert_figures import FigureBlocks, text_of
from kryptowelt.wordpress.embeds import embed_url

BLOCK_ID_NAMESPACE = uuid.UUID("6f1d3c2a-9b7e-4c1d-8a55-0e2f4b6d7c91")
REMOVED = {
    "script": "Skript",
    "style": "Stil-Element (<style>)",
    "form": "Formular",
    "svg": "SVG-Grafik",
    "math": "MathML",
    "canvas": "Canvas",
    "iframe": "iframe",
    "object": "Flash-Objekt (<object>)",
    "embed": "Flash-Objekt (<embed>)",
    "applet": "Applet",
    "frame": "Frame",
    "frameset": "Frameset",
    "link": "<link>",
    "meta": "<meta>",
    "base": "<base>",
    "input": "Formularfeld",
    "button": "Schaltfläche",
    "select": "Auswahlliste",
    "textarea": "Textfeld",
    "noscript": "<noscript>",
    "template": "<template>",
    "audio": "Audio-Element",
    "video": "Video-Element",
}
INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i", "sup": "sup", "sub": "sub"}
CODE = {"code", "kbd", "tt", "samp", "var"}
BLOCK_LEVEL = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "center",
    "figure", "figcaption", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "address", "details", "summary", "fieldset",
    *REMOVED,
}  # fmt: skip
_DANGEROUS_URL = re.compile(r"^(javascript|vbscript|livescript|data):", re.IGNORECASE)
_DANGEROUS_STYLE = re.compile(r"javascript:|expression\s*\(|behavior\s*:|-moz-binding", re.I)
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
_WS = re.compile(r"\s+")
_ONLY_URL = re.compile(r"^https?://\S+$")


@dataclass
class Link:
    """What a link becomes: "page"/"document" (Wagtail link by id), "url" (an address),
    "text" (link removed, text kept) or "keep" (an outside address, unchanged)."""

    kind: str
    value: str | int = ""


@dataclass
class ImageLookup:
    pk: int | None
    caption: str = ""
    problem: str = ""


@dataclass
class Conversion:
    blocks: list[dict] = field(default_factory=list)
    findings: list[tuple[str, str]] = field(default_factory=list)


def _compact(value: str) -> str:
    return re.sub(r"[\x00-\x20]+", "", value or "")


def _describe(value: str, limit: int = 70) -> str:
    value = _WS.sub(" ", value or "").strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


class Converter(FigureBlocks):
    """One conversion of one item's HTML. `resolver` answers `link(href)` → Link and
    `image(wp_id=…, url=…)` → ImageLookup; `id_seed` makes the block ids stable, so an
    unchanged item converts to identical data on every run."""

    def __init__(self, *, resolver, id_seed: str):
        self.resolver = resolver
        self.id_seed = id_seed
        self.result = Conversion()
        self._rich: list[str] = []

    # --- entry point -------------------------------------------------------------------
    def convert(self, markup: str) -> Conversion:
        soup = BeautifulSoup(markup or "", "html.parser")
        self._scan_attributes(soup)
        self._blocks(soup.contents)
        self._flush_rich()
        return self.result

    def _scan_attributes(self, soup) -> None:
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                value = " ".join(value) if isinstance(value, list) else str(value)
                if name.lower().startswith("on"):
                    self._found("Ereignis-Attribut", f"{name} an <{tag.name}>")
                elif name.lower() == "style" and _DANGEROUS_STYLE.search(value):
                    self._found(
                        "Gefährliche Stilangabe", f"<{tag.name} style=…{_describe(value, 50)}>"
                    )
                elif (
                    name.lower() in _URL_ATTRIBUTES
                    and tag.name != "a"
                    and _DANGEROUS_URL.match(_compact(value))
                ):
                    self._found("javascript:/data:-Adresse", f"{name} an <{tag.name}>")

    def _found(self, what: str, detail: str) -> None:
        self.result.findings.append((what, detail))

    # --- block level -------------------------------------------------------------------
    def _add(self, block_type: str, value) -> None:
        if block_type != "paragraph":
            self._flush_rich()
        index = len(self.result.blocks)
        block_id = str(uuid.uuid5(BLOCK_ID_NAMESPACE, f"{self.id_seed}:{index}"))
        self.result.blocks.append({"type": block_type, "value": value, "id": block_id})

    def _flush_rich(self) -> None:
        if not self._rich:
            return
        markup = clean_stored_rich_text("".join(self._rich)).strip()
        self._rich = []
        if markup:
            self._add("paragraph", markup)

    def _blocks(self, nodes) -> None:
        run: list = []
        for node in list(nodes):
            if isinstance(node, Comment | Doctype | Declaration | ProcessingInstruction | CData):
                continue
            if isinstance(node, NavigableString):
                run.append(node)
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name.lower()
            if name not in BLOCK_LEVEL and not (name == "a" and self._has_block_child(node)):
                if name == "img" and not run:
                    self._image(node, caption="")
                else:
                    run.append(node)
                continue
            self._paragraph(run)
            run = []
            self._block(node, name)
        self._paragraph(run)

    def _has_block_child(self, node: Tag) -> bool:
        return any(
            isinstance(child, Tag) and child.name in BLOCK_LEVEL for child in node.descendants
        )

    def _block(self, node: Tag, name: str) -> None:
        if name in REMOVED:
            self._removed(node, name)
        elif name == "p":
            if self._has_block_child(node):
                self._blocks(node.contents)
            else:
                self._paragraph(node.contents)
        elif name in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading(node, name)
        elif name in {"ul", "ol"}:
            self._list(node, name)
        elif name == "blockquote":
            self._quote(node)
        elif name == "figure":
            self._figure(node)
        elif name == "table":
            self._table(node, caption="")
        elif name == "pre":
            lines = [html.escape(line) for line in node.get_text().strip("\n").split("\n")]
            if any(line.strip() for line in lines):
                self._rich.append("<p><code>" + "<br/>".join(lines) + "</code></p>")
        elif name in {"dt", "figcaption", "summary"}:
            self._paragraph([node], bold=name == "dt")
        elif name == "hr":
            return
        else:  # div, section, li outside a list, dd, …: their children stand on their own
            self._blocks(node.contents)

    def _removed(self, node: Tag, name: str) -> None:
        if name in {"iframe", "object", "embed", "video"}:
            url = self._media_url(node)
            target = embed_url(url) if url else None
            if target:
                self._add("embed", {"embed": target, "caption": ""})
                return
            host = re.sub(r"^[a-z]+://", "", url or "").split("/")[0]
            detail = f"von {host}" if host else "ohne Adresse"
            self._found(REMOVED[name], detail)
            return
        if name == "script":
            source = node.get("src") or _describe(node.get_text(), 50) or "leer"
            self._found(REMOVED[name], source)
            return
        if name == "form":
            self._found(REMOVED[name], f"Ziel {node.get('action') or 'ohne Ziel'}")
            return
        self._found(REMOVED[name], _describe(node.get_text(), 50) or f"<{name}>")

    def _media_url(self, node: Tag) -> str:
        candidates = [node.get("src"), node.get("data")]
        for child in node.find_all(["param", "embed", "source"]):
            candidates += [child.get("src"), child.get("value") if child.name == "param" else None]
        for candidate in candidates:
            if candidate and re.match(r"^(https?:)?//", candidate.strip()):
                return candidate.strip()
        return ""

    # --- paragraphs and inline markup -----------------------------------------------------
    def _paragraph(self, nodes, bold: bool = False) -> None:
        after: list = []
        inner = self._inline(nodes, after).strip()
        visible = html.unescape(re.sub(r"<[^>]+>", "", inner)).replace("\xa0", " ").strip()
        if visible and _ONLY_URL.match(visible) and "<a " not in inner:
            target = embed_url(visible)
            if target:
                self._add("embed", {"embed": target, "caption": ""})
                inner = ""
        if inner and visible:
            inner = re.sub(r"^(<br/>\s*)+|(\s*<br/>)+$", "", inner)
            self._rich.append(f"<p><b>{inner}</b></p>" if bold else f"<p>{inner}</p>")
        for kind, payload in after:
            if kind == "image":
                self._image(payload, caption="")
            else:
                self._removed(payload, payload.name.lower())

    def _inline(self, nodes, after: list) -> str:
        parts: list[str] = []
        for node in nodes:
            if isinstance(node, Comment | Doctype | Declaration | ProcessingInstruction | CData):
                continue
            if isinstance(node, NavigableString):
                parts.append(html.escape(str(node).replace("\n", " "), quote=False))
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name.lower()
            if name in REMOVED:
                after.append(("removed", node))
            elif name == "img":
                after.append(("image", node))
            elif name == "br":
                parts.append("<br/>")
            elif name == "a":
                parts.append(self._link(node, after))
            elif name in INLINE:
                inner = self._inline(node.contents, after)
                if inner.strip():
                    parts.append(f"<{INLINE[name]}>{inner}</{INLINE[name]}>")
                else:
                    parts.append(inner)
            elif name in CODE:
                parts.append(f"<code>{html.escape(node.get_text(), quote=False)}</code>")
            elif name in {"ul", "ol"}:
                parts.append(self._list_markup(node, name, after))
            elif name in {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt"}:
                inner = self._inline(node.contents, after).strip()
                if inner:
                    parts.append(("<br/>" if parts else "") + inner)
            else:
                parts.append(self._inline(node.contents, after))
        return "".join(parts)

    def _link(self, node: Tag, after: list) -> str:
        inner = self._inline(node.contents, after)
        href = (node.get("href") or "").strip()
        if not href:
            return inner
        if _DANGEROUS_URL.match(_compact(href)):
            what = (
                "data:-Link" if _compact(href).lower().startswith("data:") else "javascript:-Link"
            )
            self._found(what, f"„{_describe(text_of(node), 40)}“")
            return inner
        if not inner.strip():  # a link around an image: see _image
            return inner
        link = self.resolver.link(href)
        if link.kind in {"page", "document"}:
            return f'<a linktype="{link.kind}" id="{int(link.value)}">{inner}</a>'
        if link.kind == "url":
            return f'<a href="{html.escape(str(link.value))}">{inner}</a>'
        if link.kind == "text":
            return inner
        return f'<a href="{html.escape(href)}">{inner}</a>'

    def _list_markup(self, node: Tag, name: str, after: list) -> str:
        items = []
        for child in node.children:
            if isinstance(child, Tag) and child.name == "li":
                inner = self._inline(child.contents, after).strip()
                if inner:
                    items.append(f"<li>{inner}</li>")
        return f"<{name}>{''.join(items)}</{name}>" if items else ""

    def _list(self, node: Tag, name: str) -> None:
        after: list = []
        markup = self._list_markup(node, name, after)
        if markup:
            self._rich.append(markup)
        for kind, payload in after:
            if kind == "image":
                self._image(payload, caption="")
            else:
                self._removed(payload, payload.name.lower())

    def _heading(self, node: Tag, name: str) -> None:
        text = text_of(node)
        for image in node.find_all("img"):
            self._image(image, caption="")
        if not text:
            return
        if len(text) > 200:
            self._rich.append(f"<p><b>{html.escape(text, quote=False)}</b></p>")
            return
        self._add("heading", {"text": text, "level": "h2" if name in {"h1", "h2"} else "h3"})
