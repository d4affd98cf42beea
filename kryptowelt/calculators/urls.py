from django.urls import path

from kryptowelt.calculators import views

app_name = "calculators"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("sparplan/", views.sparplan, name="sparplan"),
    path("gewinn/", views.gewinn, name="gewinn"),
    path("steuer/", views.steuer, name="steuer"),
    path("steuer/beispiel.csv", views.steuer_beispiel, name="steuer_beispiel"),
]
