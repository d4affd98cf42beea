from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "kryptowelt.images"
    label = "images"
    verbose_name = "Bilder"
