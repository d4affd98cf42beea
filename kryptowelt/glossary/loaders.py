"""Demo loader (settings.KRYPTOWELT_DEMO_LOADERS): the lexicon from content/terms.toml."""

from kryptowelt.glossary.content import terms_read
from kryptowelt.glossary.services import lexicon_index_get_or_create, lexicon_terms_create


def load_lexicon(*, home, stdout=None):
    """Krypto-Lexikon: Register und Begriffe aus glossary/content/terms.toml."""
    entries = terms_read()
    index = lexicon_index_get_or_create(home=home)
    created = lexicon_terms_create(index=index, entries=entries)
    if stdout is not None:
        stdout.write(
            f"Lexikon: {created} Begriffe neu, {len(entries) - created} bereits vorhanden."
        )
