"""Demo loader (settings.KRYPTOWELT_DEMO_LOADERS): fills every article's related list."""


def load_related(stdout=None):
    """„Weitere interessante Artikel“ für alle Artikel berechnen."""
    from kryptowelt.related.services import related_rebuild

    result = related_rebuild()
    if stdout is not None:
        stdout.write(f"  {result['articles']} Artikel, {result['rows']} Empfehlungen")
