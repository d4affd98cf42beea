"""Rendering a calculator as part of the /rechner/ page (its menu, breadcrumbs), shared by
the calculators' views."""

from __future__ import annotations


def noindex(response):
    response["X-Robots-Tag"] = "noindex"
    return response


def private(response):
    """Results are the reader's own data: never cached, never indexed."""
    response["Cache-Control"] = "no-store, private"
    return noindex(response)


def render_calculator(request, page, template: str, context: dict, status: int = 200):
    """A calculator's page, rendered as part of the /rechner/ page."""
    if "page_title" in context:
        context.setdefault("extra_crumbs", [(context["page_title"], request.path)])
    response = page.render(request, template=template, context_overrides=context)
    response.status_code = status
    return response
