from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "kryptowelt.guides"
    label = "guides"
    verbose_name = "Ratgeber"

    def ready(self):
        from . import views  # noqa: F401 - registers what the guides' pages show
