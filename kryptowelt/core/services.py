"""Writes shared by every app's pages."""

from django.db import transaction


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
