"""Admin additions every editor shares: the autosave guard of the editors, "Meine Entwürfe",
the review workflow in German (core/admin_workflow.py)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from kryptowelt.core.admin_workflow import submit_menu_item_in_german
from kryptowelt.core.dashboard import MyDraftsPanel


@hooks.register("insert_editor_js")
def autosave_guard_js():
    # A click on "Speichern" during an autosave waits for it (static/js/admin/autosave-guard.js).
    return format_html('<script src="{}" defer></script>', static("js/admin/autosave-guard.js"))


@hooks.register("construct_homepage_panels")
def add_my_drafts_panel(request, panels):
    panels.append(MyDraftsPanel())


@hooks.register("construct_page_action_menu")
def german_submit_label(menu_items, request, context):
    submit_menu_item_in_german(menu_items)
