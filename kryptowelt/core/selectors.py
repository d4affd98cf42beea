"""Reads shared by every app's pages."""

from wagtail.models import Page


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
