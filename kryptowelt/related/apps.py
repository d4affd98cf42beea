from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "kryptowelt.related"
    label = "related"
    verbose_name = "Weitere interessante Artikel"

    def ready(self):
        from kryptowelt.related import signals

        signals.connect()
