import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

GIN_INDEX = "kw_search_archive_body_gin"


def gin_index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {GIN_INDEX} ON kw_search_archiveentry USING gin (body)"
        )


def gin_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


def entries_fill(apps, schema_editor):
    """The rows of the articles an existing site has already indexed. Written out here, not
    by the backend's code, so that this migration stays what it was when later code changes
    (articles were the only archive type then)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            """
            INSERT INTO kw_search_archiveentry (page_id, published_at, body)
            SELECT p.id, p.first_published_at, e.body
            FROM wagtailcore_page p
            JOIN django_content_type t ON t.id = p.content_type_id
            JOIN wagtailsearch_indexentry e
                ON e.content_type_id = p.content_type_id AND e.object_id = p.id::text
            WHERE t.app_label = 'news' AND t.model = 'articlepage'
                AND p.first_published_at IS NOT NULL
            """
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("news", "0009_article_listing_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArchiveEntry",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="wagtailcore.page",
                    ),
                ),
                ("published_at", models.DateTimeField()),
                ("body", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "indexes": [
                    models.Index(fields=["-published_at", "-page"], name="kw_search_archive_newest")
                ],
            },
        ),
        migrations.RunPython(gin_index_create, gin_index_drop, elidable=False),
        migrations.RunPython(entries_fill, migrations.RunPython.noop, elidable=False),
    ]
