from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "kryptowelt.news"
    label = "news"
    verbose_name = "Artikel"
