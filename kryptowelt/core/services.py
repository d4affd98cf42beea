"""Writes shared by every app's pages."""

from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.signals import page_published, published


@transaction.atomic
def child_page_ensure(*, parent, model, **values):
    """The live child page of type `model` below `parent`, created and published with
    `values` (then the model's `initial_page_values`) if there is none yet.

    For pages a site has once: the pillar index pages (/kurse/, /vergleich/, …). An existing
    page is returned as the editors left it."""
    page = model.objects.child_of(parent).first()
    if page is None:
        page = model(**{**getattr(model, "initial_page_values", {}), **values})
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


def page_publish_new(*, page, revision, user=None) -> None:
    """Publish a page that was just created live (`live=True` before `add_child`) from its
    first revision.

    What Wagtail's publish action does for a new page (no workflow, aliases or comments
    yet): live revision, publication dates, the log entry and the `published` and
    `page_published` signals (caches, purges, search and related lists react to these).
    It skips loading the revision back into a second page object that is validated and
    saved once more, which is almost half the work of creating an article; importers
    create thousands."""
    first = page.first_published_at or revision.created_at
    values = {
        "live": True,
        "live_revision": revision,
        "has_unpublished_changes": False,
        "expired": False,
        "first_published_at": first,
        "last_published_at": page.last_published_at or first,
    }
    Page.objects.filter(pk=page.pk).update(**values)
    for name, value in values.items():
        setattr(page, name, value)
    log(instance=page, action="wagtail.publish", user=user, revision=revision, content_changed=True)
    published.send(sender=type(page), instance=page, revision=revision)
    page_published.send(sender=page.specific_class, instance=page, revision=revision)
