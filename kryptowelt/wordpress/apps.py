from django.apps import AppConfig


class WordpressConfig(AppConfig):
    name = "kryptowelt.wordpress"
    label = "wordpress"
    verbose_name = "WordPress-Import"
    default_auto_field = "django.db.models.BigAutoField"
