from django.urls import path

from kryptowelt.calculators import tax_views

app_name = "calculators"

# The calculators are routes of the /rechner/ page (models.CalculatorIndexPage); only the
# sample file is a plain download, because a page URL cannot end in ".csv" in Wagtail.
urlpatterns = [
    path("rechner/steuer/beispiel.csv", tax_views.steuer_beispiel, name="steuer_beispiel"),
]
