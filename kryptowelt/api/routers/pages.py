"""Every published page of the tree, as Wagtail 8's API v3 describes pages (its generated
Pydantic schemas, one per page type), read-only: the list and one page. Wagtail's own router
also writes (create, publish, move, delete) and reads drafts with a token; none of that is
mounted here, and every answer is for an anonymous reader (live, without view restrictions,
on the default site)."""

from __future__ import annotations

from typing import Literal

from django.contrib.contenttypes.models import ContentType
from ninja import Query, Router, Schema
from pydantic import Field
from wagtail.api.v3.routers.pages import PageDetailSchema
from wagtail.api.v3.schemas import BasePageSchema
from wagtail.models import Page, Site, get_page_models

from kryptowelt.api.pagination import Paged, PageParams, paged
from kryptowelt.api.problems import ApiError
from kryptowelt.api.schemas import IdPath
from kryptowelt.newsletter.models import NewsletterEdition

router = Router(tags=["Seiten (Wagtail)"])

PageType = Literal[tuple(model._meta.label for model in get_page_models() if model is not Page)]  # type: ignore[valid-type]


def public_pages():
    """Live pages without view restriction below the default site's root page."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return Page.objects.none()
    return (
        Page.objects.live()
        .public()
        .descendant_of(site.root_page, inclusive=True)
        # A newsletter edition is live while it waits for its send, but readers see it
        # (its page answers 200) only once it was sent.
        .exclude(pk__in=NewsletterEdition.objects.exclude(send__finished_at__isnull=False))
        .select_related("content_type", "locale")
    )


class PageFilters(Schema):
    type: PageType | None = Field(
        None, description="Nur Seiten dieses Typs, z. B. news.ArticlePage"
    )
    child_of: int | None = Field(
        None, ge=1, le=2_147_483_647, description="Nur direkte Unterseiten dieser Seite"
    )
    descendant_of: int | None = Field(
        None, ge=1, le=2_147_483_647, description="Nur Seiten unterhalb dieser Seite"
    )


def _parent(page_id: int, name: str) -> Page:
    parent = public_pages().filter(pk=page_id).first()
    if parent is None:
        raise ApiError(404, f"Die Seite {page_id} ({name}) gibt es nicht.")
    return parent


@router.get(
    "/pages/",
    response=Paged[BasePageSchema],
    summary="Seiten",
    operation_id="pages_list",
    by_alias=True,
)
def pages_list(request, filters: PageFilters = Query(...), page: PageParams = Query(...)):
    """Alle veröffentlichten Seiten (Artikel, Rubriken, Lexikon, Ratgeber …) nach Id, mit
    Typ, Adresse und Erscheinungsdatum."""
    pages = public_pages()
    if filters.type:
        app_label, _, model = filters.type.partition(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model.lower())
        pages = pages.filter(content_type=content_type)
    if filters.child_of:
        pages = pages.child_of(_parent(filters.child_of, "child_of"))
    if filters.descendant_of:
        pages = pages.descendant_of(_parent(filters.descendant_of, "descendant_of"))
    return paged(request, pages.order_by("pk"), page, list)


@router.get(
    "/pages/{page_id}/",
    response=PageDetailSchema,
    summary="Eine Seite",
    operation_id="pages_detail",
    by_alias=True,
)
def pages_detail(request, page_id: IdPath):
    """Eine veröffentlichte Seite mit den Feldern, die Wagtail für ihren Typ beschreibt."""
    page = public_pages().filter(pk=page_id).first()
    if page is None:
        raise ApiError(404, "Diese Seite gibt es nicht (oder sie ist nicht veröffentlicht).")
    return page.specific
