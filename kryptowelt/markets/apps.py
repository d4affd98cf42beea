from django.apps import AppConfig


class MarketsConfig(AppConfig):
    name = "kryptowelt.markets"
    label = "markets"
    verbose_name = "Kurse & Marktdaten"

    def ready(self):
        from . import signals, views  # noqa: F401 - views register the routes of /kurse/

        signals.connect()
