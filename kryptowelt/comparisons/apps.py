from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "kryptowelt.comparisons"
    label = "comparisons"
    verbose_name = "Vergleiche"

    def ready(self):
        from . import views  # noqa: F401 - registers the routes of /vergleich/
