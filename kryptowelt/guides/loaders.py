"""Demo loader (settings.KRYPTOWELT_DEMO_LOADERS): the guides from guides/content/."""

from kryptowelt.guides.services import guide_create, guide_index_get_or_create, guides_read


def load_guides(*, home, stdout=None):
    """Ratgeber: Übersicht, Ratgeber und Kapitel aus guides/content/."""
    entries = guides_read()
    index = guide_index_get_or_create(home=home)
    chapters = 0
    for entry in entries:
        _, created = guide_create(index=index, entry=entry)
        chapters += created
    if stdout is not None:
        stdout.write(f"Ratgeber: {len(entries)} Ratgeber, {chapters} Kapitel neu angelegt.")
