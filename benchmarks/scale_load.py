"""Bulk load of generated articles for benchmarks/scale_100k.py (needs django.setup()).

Rows are written in chunks with bulk inserts instead of one `article_create` per article
(about 60 ms each: 100,000 would take close to two hours), but they end up as publishing
leaves them: the reference articles published through `article_create` show which rows and
fields that are, and `check_like_published` compares a loaded article with them."""

from __future__ import annotations

import math
import random
import time
import uuid
from contextlib import contextmanager
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Prefetch
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.search.backends import get_search_backend

from kryptowelt.core.text import german_slugify
from kryptowelt.home.factories import site_create
from kryptowelt.news.factories import SECTION_SPECS
from kryptowelt.news.models import ArticleAuthor, ArticlePage, ArticleTag, SectionPage, Topic
from kryptowelt.news.services import article_create, author_get_or_create

# Share of articles per section (Neuigkeiten, Trends, Tipps, Wissen).
SECTION_WEIGHTS = (0.45, 0.25, 0.15, 0.15)
INDEX_CHUNK = 250
CHILD_RELATIONS = [
    relation.get_accessor_name()
    for relation in get_all_child_relations(ArticlePage)
    if relation.get_accessor_name() not in ("article_authors", "tagged_items")
]


def _say(text: str) -> None:
    print(text, flush=True)


def load_site(*, articles, chunk, writer, authors, topics, start, end) -> dict:
    timings = {}
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate"] = time.perf_counter() - began

    began = time.perf_counter()
    site_create()
    call_command("update_index", verbosity=0)  # the site's own pages
    author_rows = [author_get_or_create(name=name) for name in authors]
    topic_rows = {name: Topic.objects.get_or_create(name=name)[0] for name in topics}
    sections = {slug: SectionPage.objects.get(slug=slug) for _, slug, _ in SECTION_SPECS}
    references = []
    for section in sections.values():
        item = writer.article()
        references.append(
            article_create(
                section=section,
                title=item["title"],
                teaser=item["teaser"],
                body=item["body"],
                authors=[author_rows[0]],
                tags=item["tags"],
                published_at=end,
            )
        )
    get_search_backend().add_bulk(ArticlePage, _for_indexing([a.pk for a in references]))
    timings["site"] = time.perf_counter() - began

    rng = random.Random(writer.rng.random())
    span = (end - start).total_seconds()
    section_list = [sections[slug] for _, slug, _ in SECTION_SPECS]
    for section in section_list:
        section.refresh_from_db()
    children = {section.pk: section.numchild for section in section_list}
    ids: list[int] = []
    began = time.perf_counter()
    done = len(references)
    with server_side_binding():
        while done < articles:
            size = min(chunk, articles - done)
            batch = []
            for _ in range(size):
                section = rng.choices(section_list, SECTION_WEIGHTS)[0]
                children[section.pk] += 1
                when = start.timestamp() + rng.random() * span
                batch.append(
                    (
                        section,
                        children[section.pk],
                        datetime.fromtimestamp(when, tz=start.tzinfo),
                        writer.article(),
                        rng.sample(author_rows, 1 if rng.random() < 0.85 else 2),
                    )
                )
            ids.extend(_write_chunk(batch, topic_rows, done))
            done += size
            if done % (chunk * 10) == 0 or done == articles:
                rate = (done - len(references)) / (time.perf_counter() - began)
                _say(f"  {done:>7} Artikel geschrieben ({rate:.0f}/s)")
    for section in section_list:
        Page.objects.filter(pk=section.pk).update(numchild=children[section.pk])
    timings["rows"] = time.perf_counter() - began

    began = time.perf_counter()
    backend = get_search_backend()
    for offset in range(0, len(ids), INDEX_CHUNK):
        with transaction.atomic():
            backend.add_bulk(ArticlePage, _for_indexing(ids[offset : offset + INDEX_CHUNK]))
        if (offset // INDEX_CHUNK) % 40 == 39:
            _say(f"  {offset + INDEX_CHUNK:>7} Artikel im Suchindex")
    timings["index"] = time.perf_counter() - began

    began = time.perf_counter()
    with connection.cursor() as cursor:
        # VACUUM too: a long-running database has had autovacuum mark its pages all-visible,
        # without which PostgreSQL cannot answer from an index alone (index-only scans).
        cursor.execute("VACUUM ANALYZE")
    timings["analyze"] = time.perf_counter() - began
    problems = [len(found) for found in Page.find_problems()]
    if any(problems):
        raise SystemExit(f"Seitenbaum fehlerhaft (treebeard find_problems): {problems}")
    check_like_published(references[0], ArticlePage.objects.get(pk=ids[-1]))
    return {"timings": timings, "references": references, "sample_id": ids[len(ids) // 2]}


@contextmanager
def server_side_binding():
    """Bind parameters on the server while loading: Django's default client-side binding
    quotes every value in Python, which for 10 KB bodies costs more than the insert."""
    options = connection.settings_dict["OPTIONS"]
    connection.close()
    options["server_side_binding"] = True
    try:
        yield
    finally:
        connection.close()
        options.pop("server_side_binding")


def _for_indexing(ids):
    """The articles as the search index reads them (authors and topics prefetched)."""
    return list(
        ArticlePage.objects.filter(pk__in=ids).prefetch_related(
            "tags",
            Prefetch("article_authors", queryset=ArticleAuthor.objects.select_related("author")),
        )
    )


def _write_chunk(batch, topic_rows, offset) -> list[int]:
    article_type = ContentType.objects.get_for_model(ArticlePage)
    page_type = ContentType.objects.get_for_model(Page)
    pages = []
    for number, (section, position, when, item, authors) in enumerate(batch, start=offset + 1):
        slug = f"{german_slugify(item['title'])[:70].strip('-')}-{number}"
        page = ArticlePage(
            title=item["title"],
            draft_title=item["title"],
            slug=slug,
            path=Page._get_path(section.path, section.depth + 1, position),
            depth=section.depth + 1,
            numchild=0,
            url_path=f"{section.url_path}{slug}/",
            content_type=article_type,
            locale_id=section.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=when,
            last_published_at=when,
            latest_revision_created_at=when,
            teaser=item["teaser"],
            body=item["body"],
            reading_time=max(1, math.ceil(item["words"] / 200)),
        )
        page.article_authors = [
            ArticleAuthor(author=author, sort_order=order) for order, author in enumerate(authors)
        ]
        page.tagged_items = [ArticleTag(tag=topic_rows[name]) for name in item["tags"]]
        for relation in CHILD_RELATIONS:  # related pins, comments: none, and no query
            setattr(page, relation, [])
        pages.append(page)
    with transaction.atomic():
        Page.objects.bulk_create(pages)  # the wagtailcore_page rows; sets .id
        for page in pages:
            page.page_ptr_id = page.id
        _copy(ArticlePage, pages)  # the news_articlepage rows (bodies: COPY, not INSERT)
        authors, tags = [], []
        for page in pages:
            for item in page.article_authors.all():
                item.page_id = page.pk
                authors.append(item)
            for item in page.tagged_items.all():
                item.content_object_id = page.pk
                tags.append(item)
        ArticleAuthor.objects.bulk_create(authors)
        ArticleTag.objects.bulk_create(tags)
        revisions = [
            Revision(
                pk=pk,
                content_type=article_type,
                base_content_type=page_type,
                object_id=str(page.pk),
                created_at=page.first_published_at,
                object_str=page.title,
                content=page.serializable_data(),
            )
            for page, pk in zip(pages, _next_ids(Revision, len(pages)), strict=True)
        ]
        _copy(Revision, revisions)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE wagtailcore_page AS p SET latest_revision_id = v.r, "
                "live_revision_id = v.r FROM (SELECT unnest(%s::int[]) AS p, "
                "unnest(%s::int[]) AS r) AS v WHERE p.id = v.p",
                [[page.pk for page in pages], [revision.pk for revision in revisions]],
            )
        PageLogEntry.objects.bulk_create(
            [
                entry
                for page, revision in zip(pages, revisions, strict=True)
                for entry in _log_entries(page, revision, article_type)
            ]
        )
    return [page.pk for page in pages]


def _next_ids(model, count: int) -> list[int]:
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', '{column}')) "  # noqa: S608
            "FROM generate_series(1, %s)",
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model, objs) -> None:
    """Write the rows of `model`'s own table with COPY (values prepared as Django would)."""
    fields = model._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = model._meta.db_table
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objs:
            copy.write_row(
                [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
            )


def _log_entries(page, revision, content_type):
    """What article_create logs: the creation, the first revision and the publication."""
    return [
        PageLogEntry(
            content_type=content_type,
            page_id=page.pk,
            label=page.title,
            action=action,
            timestamp=page.first_published_at,
            revision=None if action == "wagtail.create" else revision,
            content_changed=True,
            uuid=uuid.uuid4(),
        )
        for action in ("wagtail.create", "wagtail.edit", "wagtail.publish")
    ]


def check_like_published(reference: ArticlePage, loaded: ArticlePage) -> None:
    """A loaded article has the same kind of rows as one published through the service."""
    reference.refresh_from_db()
    differences = []
    for field in Page._meta.concrete_fields:
        ours, theirs = getattr(loaded, field.attname), getattr(reference, field.attname)
        if (ours is None) != (theirs is None) and field.attname not in ("owner_id",):
            differences.append(field.attname)
    if loaded.live_revision_id != loaded.latest_revision_id:
        differences.append("live_revision")
    actions = sorted(PageLogEntry.objects.filter(page=reference).values_list("action", flat=True))
    loaded_actions = sorted(
        PageLogEntry.objects.filter(page=loaded).values_list("action", flat=True)
    )
    if actions != loaded_actions:
        differences.append(f"log {loaded_actions} != {actions}")
    if differences:
        raise SystemExit(f"Geladene Artikel weichen von veröffentlichten ab: {differences}")
