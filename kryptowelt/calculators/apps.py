from django.apps import AppConfig


class CalculatorsConfig(AppConfig):
    name = "kryptowelt.calculators"
    label = "calculators"
    verbose_name = "Rechner"
