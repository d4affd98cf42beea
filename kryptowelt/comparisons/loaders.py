"""Demo loader (settings.KRYPTOWELT_DEMO_LOADERS): the providers from providers.toml."""

from kryptowelt.comparisons.services import provider_permissions_grant, providers_import


def load_providers(*, home, stdout=None):
    """Anbieter für die Vergleiche (kryptowelt/comparisons/content/providers.toml)."""
    created, existing = providers_import()
    provider_permissions_grant()
    if stdout is not None:
        stdout.write(f"Anbieter: {created} neu, {existing} bereits vorhanden.")
