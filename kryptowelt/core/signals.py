from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from kryptowelt.core.http_cache import content_changed, page_purge


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_tree_changed(sender, **kwargs):
    content_changed()


@receiver(page_published)
@receiver(page_unpublished)
def _purge_listings(sender, instance, **kwargs):
    # Wagtail's own handler purges the page's URL; this adds where it is listed.
    page_purge(page=instance)


def _settings_changed(sender, **kwargs):
    content_changed()


def _snippet_changed(sender, **kwargs):
    content_changed()


def _connect_settings():
    from wagtail.models import PageViewRestriction, Site

    from kryptowelt.core.models import PortalSettings
    from kryptowelt.news.models import Author, Topic

    # Sites and view restrictions are remembered per generation (core/routing.py, BasePage).
    for model in (Site, PageViewRestriction):
        post_save.connect(_snippet_changed, sender=model, dispatch_uid=f"kw_{model.__name__}_s")
        post_delete.connect(_snippet_changed, sender=model, dispatch_uid=f"kw_{model.__name__}_d")

    post_save.connect(_settings_changed, sender=PortalSettings, dispatch_uid="kw_portal_save")
    post_delete.connect(_settings_changed, sender=PortalSettings, dispatch_uid="kw_portal_del")
    for model in (Author, Topic):
        post_save.connect(_snippet_changed, sender=model, dispatch_uid=f"kw_{model.__name__}_s")
        post_delete.connect(_snippet_changed, sender=model, dispatch_uid=f"kw_{model.__name__}_d")


_connect_settings()
