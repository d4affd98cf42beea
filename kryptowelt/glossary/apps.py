from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "kryptowelt.glossary"
    label = "glossary"
    verbose_name = "Krypto-Lexikon"

    def ready(self):
        from kryptowelt.glossary import signals, views  # noqa: F401 - receivers, page views
