from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "kryptowelt.home"
    label = "home"
    verbose_name = "Startseite"

    def ready(self):
        from . import views  # noqa: F401 - registers what the home page shows
