from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "kryptowelt.comparisons"
    label = "comparisons"
    verbose_name = "Vergleiche"

    def ready(self):
        from . import signals, views  # noqa: F401 - cache renewal; the routes of /vergleich/
