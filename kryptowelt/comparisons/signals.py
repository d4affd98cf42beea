"""A provider is a snippet, not a page: what Wagtail and kryptowelt/caching do for a page
on publish (a new content generation, a purge of the caching proxy) is done here when an
editor publishes, unpublishes or deletes one. Saving a draft changes nothing readers see."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from kryptowelt.caching.purge import urls_purge
from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.comparisons.models import Provider
from kryptowelt.comparisons.selectors import provider_shown_urls


@receiver(published, sender=Provider)
@receiver(unpublished, sender=Provider)
@receiver(post_delete, sender=Provider)
def _provider_changed(sender, instance, **kwargs):
    # Fees, scores and the provider's own page are in every cached page that shows them.
    changed(Scope.CONTENT)
    urls_purge(urls=provider_shown_urls(provider=instance))
