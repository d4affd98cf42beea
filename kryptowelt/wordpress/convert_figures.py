"""Figures, images, galleries, quotes and tables for the WordPress converter (convert.py):
a mixin of `Converter`, which provides `_add`, `_found`, `_paragraph` and `resolver`."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from kryptowelt.wordpress.embeds import embed_url

WP_IMAGE_CLASS = re.compile(r"wp-image-(\d+)")
_WS = re.compile(r"\s+")


def text_of(node) -> str:
    """The visible text of a node, whitespace collapsed."""
    return _WS.sub(" ", node.get_text(" ") if isinstance(node, Tag) else str(node)).strip()


def classes(node: Tag) -> list[str]:
    value = node.get("class") or []
    return value if isinstance(value, list) else str(value).split()


class FigureBlocks:
    def _quote(self, node: Tag) -> None:
        if "twitter-tweet" in classes(node) or "instagram-media" in classes(node):
            for anchor in reversed(node.find_all("a", href=True)):
                target = embed_url(anchor["href"])
                if target:
                    self._add("embed", {"embed": target, "caption": ""})
                    return
        attribution = ""
        for cite in node.find_all(["cite", "footer"]):
            attribution = attribution or text_of(cite)
            cite.extract()
        paragraphs = [text_of(child) for child in node.find_all(["p", "li"])] or [text_of(node)]
        text = "\n".join(part for part in paragraphs if part)
        if text:
            self._add("quote", {"text": text, "attribution": attribution[:200]})

    # --- figures, images, tables --------------------------------------------------------
    def _figure(self, node: Tag) -> None:
        names = classes(node)
        caption_node = node.find("figcaption", recursive=False)
        caption = text_of(caption_node) if caption_node else ""
        if "kw-embed" in names or "wp-block-embed" in names:
            url = node.get("data-url") or text_of(node)
            target = embed_url(url)
            if target:
                self._add("embed", {"embed": target, "caption": caption[:300]})
            elif url.startswith(("http://", "https://")):
                # Not a provider we embed: the address stays, as a link.
                link = BeautifulSoup("", "html.parser").new_tag("a", href=url)
                link.string = url
                self._paragraph([link])
            return
        if "kw-gallery" in names:
            for wp_id in re.findall(r"\d+", node.get("data-ids") or ""):
                self._image(None, caption=None, wp_id=int(wp_id))
            return
        if node.find("table"):
            self._table(node.find("table"), caption=caption)
            return
        if node.find("blockquote"):
            self._quote(node.find("blockquote"))
            return
        images = node.find_all("img")
        if len(images) == 1:
            self._image(images[0], caption=caption)
            return
        if images:
            for image in images:
                own = image.find_parent("figure")
                own_caption = own.find("figcaption", recursive=False) if own is not node else None
                self._image(image, caption=text_of(own_caption) if own_caption else "")
            return
        self._blocks(node.contents)

    def _image(self, node: Tag | None, caption: str | None, wp_id: int | None = None) -> None:
        url = ""
        if node is not None:
            url = (node.get("src") or "").strip()
            anchor = node.find_parent("a")
            if anchor is not None and anchor.get("href"):
                # The image block carries no link; the resolver still counts (and reports)
                # the link to the file or attachment page.
                self.resolver.link(anchor["href"].strip())
            match = WP_IMAGE_CLASS.search(" ".join(classes(node)))
            if match:
                wp_id = int(match.group(1))
            elif (node.get("data-id") or "").isdigit():
                wp_id = int(node["data-id"])
        lookup = self.resolver.image(wp_id=wp_id, url=url)
        if lookup.pk is None:
            self._found("Bild nicht übernommen", lookup.problem or url or f"Anhang {wp_id}")
            return
        text = lookup.caption if caption is None else caption
        self._add("image", {"image": lookup.pk, "caption": (text or "")[:300]})

    def _table(self, table: Tag, caption: str) -> None:
        rows = []
        header: list[str] | None = None
        caption_node = table.find("caption")
        caption = caption or (text_of(caption_node) if caption_node else "")
        for row in table.find_all("tr"):
            cells = []
            for cell in row.find_all(["td", "th"], recursive=False):
                cells.append(text_of(cell))
                span = cell.get("colspan") or "1"
                cells += [""] * (min(int(span), 50) - 1 if span.isdigit() and int(span) > 1 else 0)
            is_header = row.find_parent("thead") is not None or all(
                cell.name == "th" for cell in row.find_all(["td", "th"], recursive=False)
            )
            if header is None and not rows and is_header:
                header = cells
            elif cells:
                rows.append(cells)
        width = max([len(row) for row in rows] + [len(header or [])] + [0])
        if not width:
            return
        heading = (header or []) + [""] * (width - len(header or []))
        self._add(
            "table",
            {
                "columns": [{"type": "text", "heading": text[:255]} for text in heading],
                "rows": [{"values": row + [""] * (width - len(row))} for row in rows],
                "caption": caption[:255],
            },
        )
