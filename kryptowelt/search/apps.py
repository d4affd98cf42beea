from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kryptowelt.search"
    label = "kw_search"
    verbose_name = "Suche"
