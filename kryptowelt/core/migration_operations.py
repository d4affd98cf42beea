"""Helpers for data migrations that move page models between apps or add pages to an
existing site. They work on historical models only (`apps.get_model`), so they keep working
whatever the current models look like."""

from __future__ import annotations

from django.utils import timezone

# Wagtail's page tree (django-treebeard's materialised path): four base-36 digits a level.
STEP_LENGTH = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def content_type_move(apps, *, model: str, old_app: str, new_app: str) -> None:
    """Give the content type of `model` its new app label, keeping its id: pages, revisions,
    permissions and search entries point to it by id and so follow without a change."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label=old_app, model=model).first()
    if old is None:
        return  # a new database: the content type is created after migrating
    new = ContentType.objects.filter(app_label=new_app, model=model).first()
    if new is None:
        old.app_label = new_app
        old.save(update_fields=["app_label"])
        return
    # Both exist (an earlier, interrupted run): move every reference, then drop the old one.
    for app_label, model_name, field in (
        ("wagtailcore", "Page", "content_type"),
        ("wagtailcore", "Revision", "content_type"),
        ("wagtailcore", "Revision", "base_content_type"),
        ("auth", "Permission", "content_type"),
    ):
        referencing = apps.get_model(app_label, model_name)
        referencing.objects.filter(**{field: old}).update(**{field: new})
    old.delete()


def _next_child_path(Page, parent) -> str:
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEP_LENGTH:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step.rjust(STEP_LENGTH, "0")


def site_root_pages(apps):
    """The home page of every site. A new database has only Wagtail's placeholder page as a
    site root (the demo or an editor replaces it): nothing is added there."""
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    return list(
        Page.objects.filter(
            pk__in=Site.objects.values("root_page_id"), content_type__model="homepage"
        )
    )


def child_page_add(apps, *, parent, app_label: str, model_name: str, values: dict):
    """Add a live page of `app_label.model_name` as the last child of `parent`, unless a
    child with its slug exists. Returns the new page or None."""
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    model = apps.get_model(app_label, model_name)
    slug = values["slug"]
    siblings = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if siblings.filter(slug=slug).exists():
        return None
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model_name.lower()
    )
    now = timezone.now()
    page = model.objects.create(
        **values,
        draft_title=values["title"],
        content_type=content_type,
        path=_next_child_path(Page, parent),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{slug}/",
        locale_id=parent.locale_id,
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    parent.numchild += 1
    return page
