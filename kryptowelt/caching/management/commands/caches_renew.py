from django.core.management.base import BaseCommand, CommandError

from kryptowelt.caching.scopes import Scope, bump


class Command(BaseCommand):
    help = (
        "Verwirft alles Zwischengespeicherte der App (Seiten, Fragmente, Routen) für alle oder "
        "die genannten Bereiche, z. B. nach einer neuen Version oder einer Wiederherstellung."
    )

    def add_arguments(self, parser):
        names = ", ".join(scope.value for scope in Scope)
        parser.add_argument("scopes", nargs="*", help=f"Bereiche: {names} (Standard: alle)")

    def handle(self, *args, scopes, **options):
        unknown = [value for value in scopes if value not in Scope._value2member_map_]
        if unknown:
            names = ", ".join(scope.value for scope in Scope)
            raise CommandError(f"Unbekannter Bereich: {', '.join(unknown)} (bekannt: {names}).")
        chosen = [Scope(value) for value in scopes] or list(Scope)
        bump(*chosen)
        names = ", ".join(scope.value for scope in chosen)
        self.stdout.write(self.style.SUCCESS(f"Zwischenspeicher erneuert: {names}."))
