"""The project's URLs plus one view that fails, for the error-report tests."""

from django.urls import path

from kryptowelt.urls import handler404, handler500, urlpatterns  # noqa: F401


def broken(request):
    return 1 / 0


urlpatterns = [path("kaputt/", broken), *urlpatterns]
