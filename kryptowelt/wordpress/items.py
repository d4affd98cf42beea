"""One WordPress post or page read for import: status, dates, title, lead, SEO texts.

Status mapping: publish → live with its original date (password-protected: live behind
the same password); future → scheduled for its date (published at once if the date has
passed); draft and pending → draft; private → draft (not public); trash and auto-drafts →
skipped. Sticky posts and every status change are noted for the editors."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from kryptowelt.core.text import german_slugify, html_to_text

MAX_TEASER = 600
MAX_SEO_TITLE = 255
MAX_DESCRIPTION = 300
ZERO_DATE = "0000-00-00 00:00:00"
# SEO plugins: (title key, description key, image id key)
SEO_TITLE_KEYS = ("_yoast_wpseo_title", "rank_math_title", "_aioseo_title", "_aioseop_title",
                  "_seopress_titles_title")  # fmt: skip
SEO_DESCRIPTION_KEYS = ("_yoast_wpseo_metadesc", "rank_math_description", "_aioseo_description",
                        "_aioseop_description", "_seopress_titles_desc")  # fmt: skip
SEO_IMAGE_KEYS = ("_yoast_wpseo_opengraph-image-id", "rank_math_facebook_image_id")
_SEO_VARIABLE = re.compile(r"%%?[a-z_]+%%?|%[a-z_]+%")
_FIRST_PARAGRAPH = re.compile(r"^<p>(.*?)</p>", re.DOTALL)
_SPACE = re.compile(r"\s+")
# In titles a non-breaking space is typography ("Bowl&nbsp;XXXI") and stays.
_TITLE_SPACE = re.compile(r"[^\S\xa0]+")


def parse_date(gmt: str, local: str) -> dt.datetime | None:
    """WordPress's GMT date, or its local date in the site's time zone when the GMT date
    is WordPress's "floating" zero date (drafts)."""
    for value, zone in ((gmt, dt.UTC), (local, ZoneInfo(settings.TIME_ZONE))):
        value = (value or "").strip()
        if not value or value.startswith("0000"):
            continue
        try:
            parsed = dt.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
        return parsed.replace(tzinfo=zone)
    return None


def status_mode(item, published_at) -> tuple[str | None, str]:
    """(mode, note): mode is "live", "draft", "scheduled" or None (skip)."""
    status = item.status
    if status == "publish":
        if item.password:
            return "live", "passwortgeschützt – veröffentlicht hinter demselben Passwort"
        return "live", ""
    if status == "future":
        if published_at is not None and published_at > timezone.now():
            return "scheduled", ""
        return "live", "geplanter Termin liegt in der Vergangenheit – sofort veröffentlicht"
    if status == "draft":
        return "draft", ""
    if status == "pending":
        return "draft", "war zur Prüfung vorgelegt – als Entwurf übernommen"
    if status == "private":
        return "draft", "privat – als Entwurf übernommen, nicht öffentlich"
    if status in {"trash", "auto-draft", "inherit"}:
        return None, {"trash": "im Papierkorb"}.get(status, f"Status „{status}“")
    return "draft", f"unbekannter Status „{status}“ – als Entwurf übernommen"


def clean_title(item) -> tuple[str, str]:
    """The title as readers saw it (entities decoded), and a note when there was none."""
    title = _TITLE_SPACE.sub(
        " ", html.unescape(html_to_text(item.title) if "<" in item.title else item.title)
    )
    title = title.strip()
    if not title:
        return f"Ohne Titel (WordPress-ID {item.wp_id})", "hatte keinen Titel"
    return title[:255], ""


def slug_for(item, title: str) -> str:
    from_wordpress = html.unescape(item.post_name or "")
    if item.status == "trash":
        from_wordpress = from_wordpress.removesuffix("__trashed")
    slug = german_slugify(unquote(from_wordpress)) or german_slugify(title)
    return slug or f"beitrag-{item.wp_id}"


def plain(markup: str) -> str:
    return _SPACE.sub(" ", html.unescape(html_to_text(markup or ""))).replace("\xa0", " ").strip()


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-– ") + "…"


def lead_and_body(excerpt: str, blocks: list[dict], title: str) -> tuple[str, list[dict], bool]:
    """The lead (custom excerpt, else the first paragraph, which then leaves the body) and
    the body. The third value says whether the lead was taken out of the text."""
    custom = plain(excerpt)
    first_index, first_html = None, ""
    for index, block in enumerate(blocks):
        if block["type"] == "paragraph":
            match = _FIRST_PARAGRAPH.match(block["value"])
            if match:
                first_index, first_html = index, match.group(0)
            break
        if block["type"] == "heading":
            break
    first_text = plain(first_html)
    if custom:
        if first_index is not None and _same(first_text, custom):
            rest = _without(blocks, first_index, first_html)
            if rest:  # the excerpt repeats the first paragraph: show it once, as the lead
                return shorten(custom, MAX_TEASER), rest, True
        return shorten(custom, MAX_TEASER), blocks, False
    if first_index is not None and first_text and len(first_text) <= MAX_TEASER:
        rest = _without(blocks, first_index, first_html)
        if rest:  # the only paragraph stays in the body, which must not be empty
            return first_text, rest, True
    if first_text:
        return shorten(first_text, MAX_TEASER), blocks, False
    return title[:MAX_TEASER], blocks, False


def _same(a: str, b: str) -> bool:
    def norm(text):
        return re.sub(r"[\W_]+", " ", text).strip().casefold()

    return norm(a) == norm(b)


def _without(blocks: list[dict], index: int, first_html: str) -> list[dict]:
    rest = blocks[index]["value"][len(first_html) :].strip()
    result = [dict(block) for block in blocks]
    if rest:
        result[index]["value"] = rest
    else:
        del result[index]
    return result


def seo_texts(item, title: str) -> tuple[str, str]:
    """(SEO title, meta description) from Yoast, Rank Math, AIOSEO or SEOPress. Plugin
    templates (`%%title%% %%sep%% %%sitename%%`) leave only fixed text; a title that is
    just the post's title is left empty (our templates add the site's name)."""
    seo_title = next((item.meta_get(key) for key in SEO_TITLE_KEYS if item.meta_get(key)), "")
    description = next(
        (item.meta_get(key) for key in SEO_DESCRIPTION_KEYS if item.meta_get(key)), ""
    )

    def expand(text: str) -> str:
        text = re.sub(r"%%title%%|%title%", title, text)
        text = _SEO_VARIABLE.sub(" ", text)
        return _SPACE.sub(" ", text).strip(" -–|·")

    seo_title = expand(html.unescape(seo_title))
    if _same(seo_title, title):
        seo_title = ""
    description = expand(html.unescape(description))
    return seo_title[:MAX_SEO_TITLE], shorten(description, MAX_DESCRIPTION)


def seo_image_id(item) -> int | None:
    for key in SEO_IMAGE_KEYS:
        value = item.meta_get(key).strip()
        if value.isdigit():
            return int(value)
    return None


def categories_in_order(item, index) -> list[str]:
    """The item's category slugs, the SEO plugin's primary category first."""
    slugs = [slug for slug, _ in item.terms_of("category")]
    primary = item.meta_get("_yoast_wpseo_primary_category") or item.meta_get(
        "rank_math_primary_category"
    )
    if primary.strip().isdigit():
        for slug, term in index.categories.items():
            if term.term_id == primary.strip() and slug in slugs:
                slugs.remove(slug)
                slugs.insert(0, slug)
    return slugs
