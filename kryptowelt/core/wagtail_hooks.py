"""Admin additions that every page and snippet editor shares."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_editor_js")
def autosave_guard_js():
    # A click on "Speichern" during an autosave waits for it (static/js/admin/autosave-guard.js).
    return format_html('<script src="{}" defer></script>', static("js/admin/autosave-guard.js"))
