"""The public read-only JSON API under /api/v1/ (OpenAPI 3.1, docs/api.md).

Built on Django Ninja and Pydantic as Wagtail 8's API v3 is: Wagtail's read-only page
endpoints and its problem documents, plus routers for our own data (articles, the Lexikon,
guides, coins, providers). It sits at the top of the layers: it reads the
domain apps' selectors, and nothing but the URL configuration imports it."""
