import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

TABLE = "kw_search_archivewalkentry"


def storage_in_row(apps, schema_editor):
    """Vectors stay in the row (up to a page's 8 kB; longer ones still move out of line)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 8160)")
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN body SET STORAGE MAIN")


def rows_copy(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"INSERT INTO {TABLE} (page_id, published_at, body) "
            "SELECT page_id, published_at, body FROM kw_search_archiveentry"
        )


class Migration(migrations.Migration):
    dependencies = [("kw_search", "0002_text_search_configuration")]

    operations = [
        migrations.RemoveIndex(model_name="archiveentry", name="kw_search_archive_newest"),
        migrations.CreateModel(
            name="ArchiveWalkEntry",
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
                    models.Index(fields=["-published_at", "-page"], name="kw_search_walk_newest")
                ],
            },
        ),
        migrations.RunPython(storage_in_row, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(rows_copy, migrations.RunPython.noop, elidable=False),
    ]
