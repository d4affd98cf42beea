"""The review workflow in German words: the submit button says "Zur Freigabe einreichen"
(Wagtail builds "In <workflow name> einreichen"), and approving or rejecting a page from the
start page or the page list says what happened (Wagtail's view only redirects)."""

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from wagtail.admin import messages
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page, TaskState, WorkflowState

_wagtail_workflow_action = page_viewset_registry.as_view("workflow_action", page_id_kwarg="page_id")


class SubmitForReviewMenuItem(SubmitForModerationMenuItem):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        state = page.current_workflow_state if page and page.pk else None
        if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            context["label"] = "Erneut zur Freigabe einreichen"
        else:
            context["label"] = "Zur Freigabe einreichen"
        return context


def submit_menu_item_in_german(menu_items: list) -> None:
    """Replace Wagtail's submit item in a page's action menu by the German one, in place."""
    for index, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[index] = SubmitForReviewMenuItem(order=item.order)


def workflow_action(request, page_id: int, action_name: str, task_state_id: int):
    """Wagtail's approve/reject view, followed by a German confirmation of what it did."""
    response = _wagtail_workflow_action(
        request, page_id=page_id, action_name=action_name, task_state_id=task_state_id
    )
    if request.method != "POST":
        return response
    task_state = TaskState.objects.filter(pk=task_state_id).first()
    page = get_object_or_404(Page, pk=unquote(str(page_id))).specific_deferred
    title = page.get_admin_display_title()
    if task_state and task_state.status == TaskState.STATUS_APPROVED:
        page.refresh_from_db(fields=["live", "has_unpublished_changes"])
        if page.live and not page.has_unpublished_changes:
            messages.success(request, f"‚{title}‘ ist freigegeben und veröffentlicht.")
        else:
            messages.success(request, f"‚{title}‘ ist freigegeben.")
    elif task_state and task_state.status == TaskState.STATUS_REJECTED:
        messages.success(request, f"Für ‚{title}‘ wurden Änderungen angefordert.")
    return response
