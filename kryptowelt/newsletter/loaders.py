"""Demo loader (settings.KRYPTOWELT_DEMO_LOADERS): /newsletter/ and its two lists."""

from kryptowelt.newsletter.factories import newsletter_index_ensure, newsletter_lists_ensure


def load_newsletter(*, home, stdout=None):
    """Newsletter: die Seite /newsletter/ und die Listen „Täglicher Überblick“ und
    „Wochenrückblick“ (ohne Abonnenten)."""
    lists = newsletter_lists_ensure()
    page = newsletter_index_ensure(home=home)
    if stdout is not None:
        stdout.write(f"Newsletter: {page.url}, {len(lists)} Listen.")
