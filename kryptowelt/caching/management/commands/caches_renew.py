from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from kryptowelt.caching.scopes import Scope, bump


class Command(BaseCommand):
    help = (
        "Verwirft alles Zwischengespeicherte der App (Seiten, Fragmente, Routen) für alle oder "
        "die genannten Bereiche, z. B. nach einer neuen Version oder einer Wiederherstellung."
    )

    def add_arguments(self, parser):
        # No argparse `choices`: with nargs="*" Python 3.11 checks the empty list against
        # them and refuses the call without arguments.
        parser.add_argument(
            "scopes",
            nargs="*",
            help=f"Bereiche (Standard: alle): {', '.join(scope.value for scope in Scope)}",
        )

    def handle(self, *args, scopes, **options):
        unknown = sorted(set(scopes) - {scope.value for scope in Scope})
        if unknown:
            raise CommandError(
                f"Unbekannte Bereiche: {', '.join(unknown)} (möglich: "
                f"{', '.join(scope.value for scope in Scope)})."
            )
        chosen = [Scope(value) for value in scopes] or list(Scope)
        bump(*chosen)
        if not getattr(cache, "is_available", True):  # caching/redis.py: the breaker opened
            raise CommandError(
                "Der gemeinsame Cache (Redis) ist nicht erreichbar – nichts wurde erneuert. "
                "Bitte wiederholen, sobald Redis wieder läuft."
            )
        names = ", ".join(scope.value for scope in chosen)
        self.stdout.write(self.style.SUCCESS(f"Zwischenspeicher erneuert: {names}."))
