"""An image that pages show was edited (a new file, focal point, alt text or credit) or
deleted: the pages are renewed at once, as on a publish. Their cached copies hold the old
credit line and the addresses of renditions Wagtail has just deleted (a broken image until
the cache expired). An image no page uses yet (a fresh upload) changes nothing readers see
and renews nothing."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, ReferenceIndex

from kryptowelt.caching.purge import page_purge
from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.images.models import CustomImage

# Wagtail fills these in on first use (Image.get_file_size, get_file_hash); nothing shown.
BOOKKEEPING = {"file_size", "file_hash"}


@receiver(post_save, sender=CustomImage)
@receiver(post_delete, sender=CustomImage)
def _image_changed(sender, instance, created=False, update_fields=None, **kwargs):
    if created or (update_fields and set(update_fields) <= BOOKKEEPING):
        return
    references = ReferenceIndex.get_references_to(instance)
    if not references.exists():
        return
    # Pages, and snippets shown on pages (an author's photo): every cached page renews.
    changed(Scope.CONTENT)
    page_type = ContentType.objects.get_for_model(Page)
    ids = references.filter(base_content_type=page_type).values_list("object_id", flat=True)
    for page in Page.objects.live().filter(pk__in={int(pk) for pk in ids if pk.isdigit()}):
        page_purge(page=page)
