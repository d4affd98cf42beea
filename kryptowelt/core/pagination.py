from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.translation import gettext as _


def paginate(request, items, per_page: int):
    """Paginate with `?seite=N`; an invalid or out-of-range page is a 404, not a 500."""
    paginator = Paginator(items, per_page)
    number = request.GET.get("seite", "1")
    try:
        return paginator.page(number)
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404(_("Diese Seite gibt es nicht.")) from exc
