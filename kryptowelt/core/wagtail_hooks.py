"""Admin additions every editor shares: the autosave guard of the editors, "Meine Entwürfe"."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from kryptowelt.core.dashboard import MyDraftsPanel


@hooks.register("insert_editor_js")
def autosave_guard_js():
    # A click on "Speichern" during an autosave waits for it (static/js/admin/autosave-guard.js).
    return format_html('<script src="{}" defer></script>', static("js/admin/autosave-guard.js"))


@hooks.register("construct_homepage_panels")
def add_my_drafts_panel(request, panels):
    panels.append(MyDraftsPanel())
