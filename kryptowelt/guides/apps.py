from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "kryptowelt.guides"
    label = "guides"
    verbose_name = "Ratgeber"
