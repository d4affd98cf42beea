"""Keep cached term links honest: any change to the set of live terms changes the glossary
scope (kryptowelt.caching), which every cached link set and the in-process matcher depend on."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.glossary.models import LexiconIndexPage, LexiconTermPage

LEXICON_MODELS = (LexiconTermPage, LexiconIndexPage)


def _is_lexicon_page(page) -> bool:
    return page is not None and issubclass(page.specific_class or type(page), LEXICON_MODELS)


@receiver(page_published)
@receiver(page_unpublished)
def _lexicon_page_changed(sender, instance=None, **kwargs):
    if issubclass(sender, LEXICON_MODELS) or _is_lexicon_page(instance):
        changed(Scope.GLOSSARY)


@receiver(post_page_move)
def _lexicon_page_moved(sender, instance=None, **kwargs):
    if _is_lexicon_page(instance):
        changed(Scope.GLOSSARY)


@receiver(post_delete, sender=LexiconTermPage)
@receiver(post_delete, sender=LexiconIndexPage)
def _lexicon_page_deleted(sender, **kwargs):
    changed(Scope.GLOSSARY)
