"""The site's navigation from the page tree: main menu, current section, breadcrumbs, and
URLs of routable pages ({% pillar_url "markets:coin" coin_id %})."""

from django import template
from django.utils.translation import gettext as _

from kryptowelt.core.models import pillar_reverse

register = template.Library()


@register.simple_tag
def pillar_url(viewname, *args, **kwargs):
    return pillar_reverse(viewname, *args, **kwargs)


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context):
    """The home page's children marked "Im Menü anzeigen", in tree order. The one shown is
    marked `aria-current="page"`, the one the shown page lies under `aria-current="true"`.

    On a phone the list folds behind a "Menü" button (a <details> disclosure, no script),
    which names the current section; wider screens show the list itself (site.css)."""
    chrome = context.get("chrome") or {}
    page = context.get("page")
    request = context.get("request")
    page_path = getattr(page, "path", None)
    items = []
    for item in chrome.get("menu", ()):
        path = request.path if request is not None else ""
        if page_path is not None and page_path.startswith(item["path"]):
            current = "page" if path == item["url"] else "true"
        elif page_path is None and path.startswith(item["url"]):
            current = "true"
        else:
            current = ""
        items.append({**item, "current": current})
    here = next((item["title"] for item in items if item["current"]), "")
    return {"items": items, "here": here}


@register.simple_tag(takes_context=True)
def breadcrumb_items(context):
    """(name, URL) pairs from the home page to what is shown, for breadcrumbs."""
    page = context.get("page")
    request = context.get("request")
    extra = context.get("extra_crumbs") or ()
    if page is not None and hasattr(page, "breadcrumb_items"):
        return page.breadcrumb_items(request, extra)
    chrome = context.get("chrome") or {}
    return [(_("Startseite"), chrome.get("home_url", "/")), *extra]
