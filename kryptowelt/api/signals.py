"""On publish and unpublish: the API's addresses that show the page leave the caching proxy,
as the pages that list it do (caching/signals.py)."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from kryptowelt.api.links import api_url
from kryptowelt.api.purging import api_purge_paths
from kryptowelt.caching.purge import urls_purge


@receiver(page_published)
@receiver(page_unpublished)
def _purge_api(sender, instance, **kwargs):
    page = instance.specific_deferred
    urls_purge(urls={api_url(path) for path in api_purge_paths(page)})
