from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kryptowelt.ops"
    label = "ops"
    verbose_name = "Betrieb"
