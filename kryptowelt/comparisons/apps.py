from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "kryptowelt.comparisons"
    label = "comparisons"
    verbose_name = "Vergleiche"
