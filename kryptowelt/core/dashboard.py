"""Panels on the admin's start page (Wagtail's dashboard) that every editor needs."""

from wagtail.admin.ui.components import Component

from kryptowelt.core.selectors import page_drafts_list


class MyDraftsPanel(Component):
    """The "Meine Entwürfe" panel: what the editor saved and has not published yet, to pick up again."""

    name = "meine_entwuerfe"
    template_name = "core/admin/dashboard_drafts.html"
    order = 150  # below "Neuer Artikel", above Wagtail's workflow and recent-edits panels

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {"drafts": page_drafts_list(user=request.user), "request": request}
