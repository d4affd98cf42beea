"""Absolute addresses in API answers: a page's public URL from its tree path (no query per
page), an API resource's URL, and an image's rendition."""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Site

from kryptowelt.caching.remember import remembered

API_PREFIX = "/api/v1/"
LISTING_RENDITION = "fill-640x360|format-webp|webpquality-75"
DETAIL_RENDITION = "width-1200|format-webp|webpquality-80"


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def _root_path() -> str:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        site = Site.objects.select_related("root_page").first()
    return site.root_page.url_path if site is not None else ""


def root_path() -> str:
    """The default site's root page's tree path ("/start/"), remembered per content change."""
    return remembered("api:site-root-path", _root_path, seconds=3600)


def page_url(page) -> str | None:
    """The public address of a live page below the default site's root page."""
    root = root_path()
    path = page.url_path or ""
    if not root or not path.startswith(root):
        return None
    return f"{site_url()}/{path[len(root) :]}"


def absolute(url: str) -> str:
    """`url` with the site's address in front when it is a path."""
    if url.startswith("/"):
        return site_url() + url
    return url


def api_url(path: str) -> str:
    return f"{site_url()}{API_PREFIX}{path.lstrip('/')}"


def image_data(image, spec: str = LISTING_RENDITION) -> dict | None:
    """An image as the API shows it: a rendition's address and size, alt text and credit."""
    if image is None:
        return None
    rendition = image.get_rendition(spec)
    return {
        "url": absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.description or image.title,
        "credit": getattr(image, "credit", "") or "",
    }
