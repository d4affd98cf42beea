"""/api/v1/: every Ninja route wrapped by `http.read_only`, the docs page, and a problem
document for any other address below it. Included from kryptowelt/urls.py."""

from django.urls import URLPattern, path, re_path

from kryptowelt.api.api import api
from kryptowelt.api.http import not_found_view, read_only
from kryptowelt.api.views import docs

app_name = "api_v1"


def _wrapped(patterns):
    for pattern in patterns:
        yield URLPattern(
            pattern.pattern,
            read_only(pattern.callback),
            pattern.default_args,
            pattern.name,
        )


ninja_patterns, _app, _namespace = api.urls
urlpatterns = [
    path("docs/", read_only(docs), name="docs"),
    *_wrapped(ninja_patterns),
    re_path(r"^.*$", not_found_view, name="not_found"),
]
