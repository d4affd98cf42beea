from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "kryptowelt.caching"
    label = "caching"
    verbose_name = "Caches"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
