"""Reads shared by every app's pages."""

from django.db.models import QuerySet
from wagtail.models import Page

from kryptowelt.caching.routes import view_restrictions_exist


def public_only(pages: QuerySet) -> QuerySet:
    """`pages.public()` without its query while no page is private: Wagtail's `public()`
    reads every view restriction each time it builds a queryset (three times on a section
    page). Whether any exist is remembered per process and forgotten with the content scope
    (saving or deleting a restriction changes it)."""
    return pages.public() if view_restrictions_exist() else pages


def page_drafts_list(*, user, limit: int = 10) -> list[Page]:
    """The user's drafts: pages whose newest version the user saved and that has not been
    published yet (new pages and changes to published ones), most recently saved first."""
    return list(
        Page.objects.filter(has_unpublished_changes=True, latest_revision__user=user)
        .order_by("-latest_revision_created_at", "-pk")
        .select_related("latest_revision")
        .prefetch_workflow_states()
        .specific(defer=True)[:limit]
    )
