from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.core.models import PortalSettings


@receiver(post_save, sender=PortalSettings)
@receiver(post_delete, sender=PortalSettings)
def _portal_settings_changed(sender, **kwargs):
    # Footer links and the disclaimer are on every page.
    changed(Scope.CONTENT)
