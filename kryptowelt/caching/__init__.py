"""Every cache of the portal, and the one way to say that something changed.

Four layers, outermost first (docs/architecture.md, "Caching"):

1. The caching proxy (nginx, or a CDN) keeps public responses for `s-maxage` seconds and is
   purged on publish and unpublish (`purge.py`).
2. Whole anonymous pages in the shared application cache (Redis in production, `pages.py`).
3. Fragments of pages (`{% kw_fragment %}`, `templatetags/kw_cache.py`) and values computed
   once per change (`remember.remembered`).
4. Per app process, in front of the shared cache: routes, pages, fragments (`memory.py`,
   `routes.py`).

What a cached thing shows belongs to one or more *scopes* (`scopes.Scope`): published
content, market data, the Lexikon's term register, the related-article lists. Each scope has a
generation number in the shared cache; `scopes.changed(Scope.MARKETS)` starts a new one, and
everything cached under the old number is ignored from then on – nothing has to be found and
deleted. A whole page depends on every scope something on it read (`scopes.reads`), so a
market sync renews the pages that show prices and leaves every other page in place.
"""
