"""Absolute URLs of the portal: always from `SITE_URL`, never from the request.

A request's Host header, port and scheme are whatever its sender chose. Pages, feeds,
sitemaps and robots.txt are cached and served to every later reader (nginx, the app's page
and fragment caches), so an absolute URL built from the request would hand one client's
`Host: www.kryptowelt.de:6666` to everyone (cache poisoning). Canonical links, `og:url`,
JSON-LD, feed and sitemap links therefore start with `SITE_URL`; Wagtail's own
`get_full_url()` uses the Site record, which `kryptowelt site_url` sets from it."""

from urllib.parse import urlsplit

from django.conf import settings


def site_root() -> str:
    """`SITE_URL` without a trailing slash, e.g. https://www.kryptowelt.de"""
    return settings.SITE_URL.rstrip("/")


def absolute_url(url: str) -> str:
    """`url` (a path, or already absolute) as an absolute URL of the portal."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):  # protocol-relative, e.g. media on another host
        return f"{urlsplit(site_root()).scheme}:{url}"
    return f"{site_root()}/{url.lstrip('/')}"
