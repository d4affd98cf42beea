from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.news.models import Author, Topic


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
def _snippet_changed(sender, **kwargs):
    # Bylines, author boxes and tag names are part of every article that shows them.
    changed(Scope.CONTENT)
