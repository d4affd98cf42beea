from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "kryptowelt.users"
    label = "users"
    verbose_name = "Benutzer"
