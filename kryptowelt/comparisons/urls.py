from django.urls import path

from kryptowelt.comparisons import views

app_name = "comparisons"

urlpatterns = [
    path("", views.index, name="index"),
    path("kostenrechner/", views.calculator, name="calculator"),
    path("methodik/", views.methodology, name="methodology"),
    path("gegenueberstellung/", views.side_by_side, name="side_by_side"),
    path("anbieter/<slug:slug>/", views.provider_detail, name="provider"),
    path("<slug:kind_slug>/", views.kind_list, name="kind"),
]
