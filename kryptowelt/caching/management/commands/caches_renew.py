from django.core.management.base import BaseCommand

from kryptowelt.caching.scopes import Scope, bump


class Command(BaseCommand):
    help = (
        "Verwirft alles Zwischengespeicherte der App (Seiten, Fragmente, Routen) für alle oder "
        "die genannten Bereiche, z. B. nach einer neuen Version oder einer Wiederherstellung."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "scopes",
            nargs="*",
            choices=[scope.value for scope in Scope],
            help="Bereiche (Standard: alle)",
        )

    def handle(self, *args, scopes, **options):
        chosen = [Scope(value) for value in scopes] or list(Scope)
        bump(*chosen)
        names = ", ".join(scope.value for scope in chosen)
        self.stdout.write(self.style.SUCCESS(f"Zwischenspeicher erneuert: {names}."))
