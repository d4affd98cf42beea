from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "kryptowelt.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        from . import signals, views  # noqa: F401 - routes of /newsletter/, cache scopes
