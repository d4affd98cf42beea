"""Purging the caching proxy (nginx, or a CDN) when a page is published or unpublished.

What must go besides the page itself is the page's own business: `get_purge_urls()` on the
page model (kryptowelt.core.models.BasePage and its subclasses: ancestors and their listing
pages, feeds, sitemaps, tag and author pages)."""

from __future__ import annotations

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
from wagtail.models import Page, ReferenceIndex

logger = logging.getLogger(__name__)

# Paginated listings purged besides their first page (publishing shifts every page by one).
PURGED_LISTING_PAGES = (2, 3)
# Background task priority of purges (django-tasks: -100…100, default 0, higher runs first).
PURGE_TASK_PRIORITY = 50


def page_purge_urls(*, page) -> set[str]:
    """Every URL that shows `page` or lists it."""
    page = page.specific_deferred
    urls = set(page.get_purge_urls()) if hasattr(page, "get_purge_urls") else set()
    page_url = page.get_full_url()
    if page_url:
        urls.add(page_url)
        urls.update(page_url + path.lstrip("/") for path in page.get_cached_paths())
    return urls


def pages_using(obj):
    """The live pages that use `obj` (a snippet, an image) by a chooser, a foreign key or a
    block, as Wagtail's reference index records them: what must go from the proxy when it
    changes."""
    references = ReferenceIndex.get_references_to(obj).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    ids = {int(pk) for pk in references.values_list("object_id", flat=True) if pk.isdigit()}
    return Page.objects.live().filter(pk__in=ids)


def page_purge(*, page) -> None:
    """Purge `page` and everything that lists it from the caching proxy.

    Goes through Wagtail's purge task, i.e. the background worker in production, but ahead
    of everything else waiting there (search index, reference index, related lists): after
    an import or a burst of edits the worker may have a long queue, and readers must not
    see the old home page until it is through. Wagtail's own handler purges the page again
    at normal priority; purging twice costs nothing."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    urls = page_purge_urls(page=page)
    if urls:
        purge_urls_from_cache_task.using(priority=PURGE_TASK_PRIORITY).enqueue(sorted(urls))


def urls_purge(*, urls) -> None:
    """Purge these full URLs from the caching proxy, ahead of other background tasks (for
    lists that change without a publish: "Meistgelesen", the API's lists)."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    urls = sorted(set(urls))
    if urls:
        purge_urls_from_cache_task.using(priority=PURGE_TASK_PRIORITY).enqueue(urls)


class NginxPurgeBackend(BaseBackend):
    """Wagtail front-end cache backend for nginx's cache-purge module.

    Like Wagtail's HTTPBackend (a PURGE request to the proxy per URL, here to LOCATION's path
    followed by the URL's path, e.g. /__purge/neuigkeiten/), but it purges each URL
    under every host name readers use (`HOSTS`: www and bare domain, 127.0.0.1 and localhost),
    since nginx keys its cache by host, and treats "not in the cache" (404/412) as success
    rather than logging it as an error."""

    def __init__(self, params):
        params = dict(params)
        location = urlsplit(params.pop("LOCATION"))
        self.cache_scheme, self.cache_netloc = location.scheme, location.netloc
        self.path_prefix = location.path.rstrip("/")
        self.hosts = [host for host in params.pop("HOSTS", []) if host and "*" not in host]
        self.timeout = params.pop("TIMEOUT", 5)
        super().__init__(params)

    def purge(self, url) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls) -> None:
        """PURGE every URL under every host. One cache of several may be down (a node being
        replaced): the first connection error ends this batch for this cache alone, logged
        once, instead of waiting TIMEOUT seconds for each URL; Wagtail then goes on with the
        next cache (FRONTEND_CACHE_PURGE_URLS)."""
        urls = list(urls)
        for done, url in enumerate(urls):
            parts = urlsplit(url)
            path = self.path_prefix + (parts.path or "/")
            target = urlunsplit((self.cache_scheme, self.cache_netloc, path, parts.query, ""))
            for host in self.hosts or [parts.netloc]:
                request = Request(target, method="PURGE", headers={"Host": host})  # noqa: S310
                try:
                    urlopen(request, timeout=self.timeout).close()  # noqa: S310 - configured URL
                except HTTPError as error:
                    if error.code not in (404, 412):
                        logger.error("Purge von %s (%s) fehlgeschlagen: %s", url, host, error)
                except (URLError, OSError) as error:
                    logger.error(
                        "Cache %s nicht erreichbar (%s): %d Adressen dort nicht geleert, ab %s.",
                        self.cache_netloc,
                        getattr(error, "reason", error),
                        len(urls) - done,
                        url,
                    )
                    return
