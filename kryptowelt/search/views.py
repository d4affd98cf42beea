import re
from urllib.parse import quote_plus

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kryptowelt.search.analysis import MAX_QUERY_CHARS, query_stems
from kryptowelt.search.selectors import (
    destination_search,
    highlighted_snippet,
    highlighted_text,
    page_search,
    pages_in_order,
    snippet_texts,
)

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
        # The coins, providers and calculators the query names lead the first page.
        destinations = destination_search(query=query, stems=stems)
        for destination in destinations if page.number == 1 else ():
            hits.append(
                {
                    "title": destination.title,
                    "url": destination.url,
                    "kind": destination.kind,
                    "title_marked": highlighted_text(destination.title, stem_set),
                    "snippet": highlighted_snippet(destination.text, stem_set, words=60),
                    "shortcut": True,
                }
            )
        found = pages_in_order(list(page.object_list))
        texts = snippet_texts(found)
        for hit in found:
            model = hit.specific_class or type(hit)
            hits.append(
                {
                    "page": hit,
                    "title": hit.title,
                    "url": hit.get_url(request),
                    "kind": model._meta.verbose_name,
                    "title_marked": highlighted_text(hit.title, stem_set),
                    "snippet": highlighted_snippet(texts[hit.pk], stem_set),
                }
            )
        context.update(
            {
                "page_obj": page,
                "hits": hits,
                "all_terms_matched": all_matched,
                "stems": stems,
                "result_count": page.paginator.count + len(destinations),
                "list_start": 1 if page.number == 1 else page.start_index() + len(destinations),
            }
        )
    response = render(request, "search/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
