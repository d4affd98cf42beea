"""Old WordPress addresses by ID: `/?p=123`, `/?page_id=7`, `/?attachment_id=9`, `/?cat=3`,
`/?tag=slug`, `/?author=2`.

WordPress answered them on its home page. Ours answers `/?p=123` with the home page (200),
and Wagtail's redirect middleware looks only at 404 responses, so the redirects the import
stored for these addresses would never be used. This middleware answers them with their
301 before any cache or view. Requests without one of these parameters cost nothing; with
one, a single query."""

from django.http import HttpResponsePermanentRedirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from kryptowelt.wordpress.oldurls import ROUTING_PARAMETERS


class WordPressQueryRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"GET", "HEAD"} and request.GET:
            pairs = sorted(
                (name, request.GET[name]) for name in ROUTING_PARAMETERS if name in request.GET
            )
            if pairs:
                redirect = self._redirect(request, pairs)
                if redirect is not None:
                    return HttpResponsePermanentRedirect(redirect.link)
        return self.get_response(request)

    def _redirect(self, request, pairs):
        query = "&".join(f"{name}={value}" for name, value in pairs)
        old_path = Redirect.normalise_path(f"{request.path}?{query}")
        site = Site.find_for_request(request)
        # A redirect for this site wins over one for all sites (as in Wagtail's middleware).
        candidates = list(Redirect.get_for_site(site).filter(old_path=old_path)[:2])
        candidates.sort(key=lambda redirect: redirect.site_id is None)
        if not candidates or candidates[0].link is None:
            return None
        return candidates[0]
