"""Lists show in every sign-up form: a change renews the pages that show one."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.newsletter.models import NewsletterList


@receiver([post_save, post_delete], sender=NewsletterList)
def _lists_changed(sender, **kwargs):
    changed(Scope.CONTENT)
