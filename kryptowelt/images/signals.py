"""An image that pages show was edited (a new file, focal point, alt text or credit) or
deleted: the pages are renewed at once, as on a publish. Their cached copies hold the old
credit line and the addresses of renditions Wagtail has just deleted (a broken image until
the cache expired). An image no page uses yet (a fresh upload) changes nothing readers see
and renews nothing."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import ReferenceIndex

from kryptowelt.caching.purge import page_purge, pages_using
from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.images.models import CustomImage

# Wagtail fills these in on first use (Image.get_file_size, get_file_hash); nothing shown.
BOOKKEEPING = {"file_size", "file_hash"}


@receiver(post_save, sender=CustomImage)
@receiver(post_delete, sender=CustomImage)
def _image_changed(sender, instance, created=False, update_fields=None, **kwargs):
    if created or (update_fields and set(update_fields) <= BOOKKEEPING):
        return
    if not ReferenceIndex.get_references_to(instance).exists():
        return
    # Pages, and snippets shown on pages (an author's photo): every cached page renews.
    changed(Scope.CONTENT)
    for page in pages_using(instance):
        page_purge(page=page)
