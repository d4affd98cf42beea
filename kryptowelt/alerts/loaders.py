"""Demo loader (settings.KRYPTOWELT_DEMO_LOADERS): the page /kursalarm/ below the home page."""

from kryptowelt.alerts.models import PriceAlertPage
from kryptowelt.core.services import child_page_ensure


def load_alert_page(*, home, stdout=None):
    """Kursalarm: die Seite, die Formular, Bestätigung und Verwaltung beantwortet."""
    page = child_page_ensure(parent=home, model=PriceAlertPage)
    if stdout is not None:
        stdout.write(f"Kursalarm: Seite {page.url_path} bereit.")
