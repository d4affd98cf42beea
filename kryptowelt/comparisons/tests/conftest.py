import pytest


@pytest.fixture
def demo_providers(home):
    """The real providers from providers.toml, as `kryptowelt demo` loads them."""
    from kryptowelt.comparisons.services import providers_import

    created, _existing = providers_import()
    return created
