"""Builders for tests, the demo and the benchmark: the newsletter page, its lists, editions
and (synthetic) confirmed subscribers."""

from __future__ import annotations

from django.utils import timezone

from kryptowelt.newsletter.models import (
    NewsletterEdition,
    NewsletterIndexPage,
    NewsletterList,
    Subscriber,
)

DEFAULT_LISTS = (
    ("Täglicher Überblick", "taeglich", "Jeden Morgen die wichtigsten Artikel und Kurse."),
    ("Wochenrückblick", "woechentlich", "Freitags die Woche in der Kryptowelt."),
)


def newsletter_lists_ensure() -> list[NewsletterList]:
    lists = []
    for order, (name, slug, description) in enumerate(DEFAULT_LISTS):
        item, _ = NewsletterList.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )
        lists.append(item)
    return lists


def newsletter_index_ensure(*, home) -> NewsletterIndexPage:
    """/newsletter/ below the home page, live (made once)."""
    page = NewsletterIndexPage.objects.first()
    if page is not None:
        return page
    page = NewsletterIndexPage(**NewsletterIndexPage.initial_page_values)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def edition_make(
    *,
    index,
    newsletter_list,
    title="Ausgabe zum Test",
    intro="",
    articles=(),
    digest="",
    publish=True,
):
    edition = NewsletterEdition(
        title=title,
        intro=intro,
        digest=digest,
        newsletter_list=newsletter_list,
        articles=[("artikel", article) for article in articles],
    )
    if not publish:
        edition.live = False
    index.add_child(instance=edition)
    revision = edition.save_revision()
    if publish:
        revision.publish()
        edition.refresh_from_db()
    return edition


def subscribers_make(
    *, newsletter_list, count: int, domain: str = "example.invalid", confirmed=True
) -> int:
    """`count` synthetic subscribers of one list, confirmed unless told otherwise."""
    now = timezone.now()
    start = Subscriber.objects.count()
    made = Subscriber.objects.bulk_create(
        [
            Subscriber(
                address=f"leser{start + i}@{domain}",
                requested_at=now,
                confirmed_at=now if confirmed else None,
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    through = Subscriber.lists.through
    through.objects.bulk_create(
        [through(subscriber_id=s.pk, newsletterlist_id=newsletter_list.pk) for s in made],
        batch_size=1000,
    )
    return len(made)
