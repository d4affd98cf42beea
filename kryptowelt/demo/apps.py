from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kryptowelt.demo"
    label = "demo"
    verbose_name = "Demo-Inhalte"
