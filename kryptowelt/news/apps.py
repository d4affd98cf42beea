from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "kryptowelt.news"
    label = "news"
    verbose_name = "Artikel"

    def ready(self):
        from . import signals, views  # noqa: F401 - connects receivers, registers page views
