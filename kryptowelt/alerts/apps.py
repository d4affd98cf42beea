from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "kryptowelt.alerts"
    label = "alerts"
    verbose_name = "Kursalarme"

    def ready(self):
        from . import signals, views  # noqa: F401 - views register the routes of /kursalarm/

        signals.connect()
