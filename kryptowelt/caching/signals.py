"""Changes to the page tree, sites and privacy settings: a new content generation, and a
purge of the caching proxy. Apps connect their own snippets and settings the same way
(`scopes.changed(Scope.CONTENT)` in their signals.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from kryptowelt.caching.purge import page_purge
from kryptowelt.caching.scopes import Scope, changed


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_tree_changed(sender, **kwargs):
    changed(Scope.CONTENT)


@receiver(page_published)
@receiver(page_unpublished)
def _purge_listings(sender, instance, **kwargs):
    # Wagtail's own handler purges the page's URL; this adds where it is listed.
    page_purge(page=instance)


# Sites and view restrictions are remembered with the content scope (routes.py).
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _routing_changed(sender, **kwargs):
    changed(Scope.CONTENT)
