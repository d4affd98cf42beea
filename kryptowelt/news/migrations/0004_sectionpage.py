# Section pages moved here from the `core` app, next to the articles they list. The table
# and its rows stay: the model's state is created over the existing table, the content type
# keeps its id with the new app label, and then the table is renamed.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from kryptowelt.core.migration_operations import content_type_move


def move_content_type(apps, schema_editor):
    content_type_move(apps, model="sectionpage", old_app="core", new_app="news")


def move_content_type_back(apps, schema_editor):
    content_type_move(apps, model="sectionpage", old_app="news", new_app="core")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_alter_standardpage_body"),
        ("images", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0003_articlepage_glossary_links"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SectionPage",
                    fields=[
                        (
                            "page_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                        ("intro", models.TextField(blank=True, verbose_name="Einleitung")),
                        (
                            "gives_tips",
                            models.BooleanField(
                                default=False,
                                help_text="Artikel dieser Rubrik geben Tipps und zeigen den Hinweis „Keine Anlageberatung“.",
                                verbose_name="Ratgeber-Rubrik",
                            ),
                        ),
                        (
                            "social_image",
                            models.ForeignKey(
                                blank=True,
                                help_text="Optional; sonst wird das Hauptbild verwendet.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="images.customimage",
                                verbose_name="Bild für soziale Netzwerke",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Rubrik",
                        "verbose_name_plural": "Rubriken",
                        "db_table": "core_sectionpage",
                    },
                    bases=("wagtailcore.page",),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.AlterModelTable(name="sectionpage", table=None),
    ]
