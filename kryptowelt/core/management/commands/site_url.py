from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


class Command(BaseCommand):
    help = (
        "Setzt Hostname und Port der Standard-Site auf die öffentliche Adresse (SITE_URL), "
        "damit Feeds, Sitemaps und absolute Links stimmen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="Statt SITE_URL diese Adresse verwenden.")

    def handle(self, *args, url: str, **options):
        parts = urlsplit(url or settings.SITE_URL)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandError(f"Keine gültige Adresse: {url or settings.SITE_URL!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("Es gibt noch keine Site – zuerst `kryptowelt demo` ausführen.")
        if (site.hostname, site.port) != (parts.hostname, port):
            site.hostname, site.port = parts.hostname, port
            site.save()
        self.stdout.write(f"Site: {parts.scheme}://{parts.hostname}:{port}/")
