"""Demo loader for `kryptowelt demo` (listed in settings.KRYPTOWELT_DEMO_LOADERS)."""

from kryptowelt.comparisons.services import provider_permissions_grant, providers_import


def load_providers(stdout=None):
    """Anbieter für die Vergleiche (kryptowelt/comparisons/content/providers.toml)."""
    created, existing = providers_import()
    provider_permissions_grant()
    if stdout is not None:
        stdout.write(f"Anbieter: {created} neu, {existing} bereits vorhanden.")
