from django.apps import AppConfig


class CalculatorsConfig(AppConfig):
    name = "kryptowelt.calculators"
    label = "calculators"
    verbose_name = "Rechner"

    def ready(self):
        from . import views  # noqa: F401 - registers the routes of /rechner/
