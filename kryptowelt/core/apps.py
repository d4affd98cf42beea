from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kryptowelt.core"
    label = "core"
    verbose_name = "Portal"

    def ready(self):
        from . import signals  # noqa: F401
