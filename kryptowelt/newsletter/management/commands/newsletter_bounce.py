"""`kryptowelt newsletter_bounce ADRESSE [--ausgabe ID] [--loeschen]`: record a bounce the
mail service reported (its bounce report or webhook names the address)."""

from django.core.management.base import BaseCommand, CommandError

from kryptowelt.core.optin import AddressInvalid, address_normalise
from kryptowelt.newsletter.services import delivery_bounce_record, subscriber_delete


class Command(BaseCommand):
    help = "Unzustellbare Newsletter-Mail erfassen (Bounce)."

    def add_arguments(self, parser):
        parser.add_argument("adresse", help="Die unzustellbare E-Mail-Adresse.")
        parser.add_argument("--ausgabe", type=int, help="ID der Ausgabe (sonst die letzte).")
        parser.add_argument(
            "--loeschen", action="store_true", help="Die Adresse zugleich abmelden und löschen."
        )

    def handle(self, *args, adresse, ausgabe=None, loeschen=False, **options):
        try:
            address = address_normalise(adresse)
        except AddressInvalid as error:
            raise CommandError(str(error)) from error
        marked = delivery_bounce_record(address=address, edition_id=ausgabe)
        if not marked:
            raise CommandError("Keine Zustellung an diese Adresse gefunden.")
        self.stdout.write("Bounce erfasst.")
        if loeschen and subscriber_delete(address=address):
            self.stdout.write("Adresse abgemeldet und gelöscht.")
