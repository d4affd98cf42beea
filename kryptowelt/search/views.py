import re
from urllib.parse import quote_plus

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kryptowelt.search.analysis import MAX_QUERY_CHARS, query_stems
from kryptowelt.search.selectors import highlighted_snippet, page_search, pages_in_order

RESULTS_PER_PAGE = 10
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@require_GET
def search(request):
    raw_query = request.GET.get("q", "")
    query = _CONTROL.sub(" ", raw_query)[:MAX_QUERY_CHARS].strip()
    stems = query_stems(query)
    context = {
        "query": query,
        "query_urlencoded": quote_plus(query),
        "query_truncated": len(raw_query) > MAX_QUERY_CHARS,
    }
    if stems:
        ranked_ids, all_matched = page_search(stems=stems)
        page = Paginator(ranked_ids, RESULTS_PER_PAGE).get_page(request.GET.get("seite"))
        stem_set = set(stems)
        hits = []
        for specific in pages_in_order(list(page.object_list)):
            text = getattr(specific, "plain_text", None)
            if text is None:
                text = specific.get_search_text() if hasattr(specific, "get_search_text") else ""
            hits.append(
                {
                    "page": specific,
                    "kind": specific._meta.verbose_name,
                    "title_marked": highlighted_snippet(specific.title, stem_set, words=40),
                    "snippet": highlighted_snippet(text, stem_set),
                }
            )
        context.update(
            {
                "page_obj": page,
                "hits": hits,
                "all_terms_matched": all_matched,
                "stems": stems,
                "result_count": page.paginator.count,
            }
        )
    response = render(request, "search/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
