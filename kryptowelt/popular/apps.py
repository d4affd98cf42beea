from django.apps import AppConfig


class PopularConfig(AppConfig):
    name = "kryptowelt.popular"
    label = "popular"
    verbose_name = "Meistgelesen"
