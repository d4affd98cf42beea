from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "kryptowelt.images"
    label = "images"
    verbose_name = "Bilder"

    def ready(self):
        from . import signals  # noqa: F401 - renews the pages that show an edited image
