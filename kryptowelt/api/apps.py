from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kryptowelt.api"
    label = "api"
    verbose_name = "Öffentliche API"

    def ready(self):
        from . import signals  # noqa: F401 - purges the API's lists on publish
