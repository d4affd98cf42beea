from django.apps import AppConfig


class CalculatorsConfig(AppConfig):
    name = "kryptowelt.calculators"
    label = "calculators"
    verbose_name = "Rechner"

    def ready(self):
        from . import tax_views, views  # noqa: F401 - register the routes of /rechner/
