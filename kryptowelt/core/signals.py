from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from kryptowelt.core.context_processors import clear_chrome_cache


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_tree_changed(sender, **kwargs):
    clear_chrome_cache()


def _settings_changed(sender, **kwargs):
    clear_chrome_cache()


def _connect_settings():
    from kryptowelt.core.models import PortalSettings

    post_save.connect(_settings_changed, sender=PortalSettings, dispatch_uid="kw_portal_save")
    post_delete.connect(_settings_changed, sender=PortalSettings, dispatch_uid="kw_portal_del")


_connect_settings()
