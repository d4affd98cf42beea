"""Marks a request served by a Wagtail page with the page's type for the metrics' `kind`
label (middleware.view_kind): `page:ArticlePage`, `page:MarketsIndexPage:coin`."""

from wagtail import hooks


@hooks.register("before_serve_page")
def mark_page_kind(page, request, serve_args, serve_kwargs):
    kind = f"page:{type(page).__name__}"
    match = getattr(request, "routable_resolver_match", None)
    if match is not None and match.url_name:
        kind = f"{kind}:{match.url_name}"
    request.kw_metrics_kind = kind
