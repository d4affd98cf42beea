# The home page moved here from the `core` app (which must not know the pages above it).
# The table and its rows stay: the model's state is created over the existing table, the
# content type keeps its id with the new app label, and then the table is renamed.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from kryptowelt.core.migration_operations import content_type_move


def move_content_type(apps, schema_editor):
    content_type_move(apps, model="homepage", old_app="core", new_app="home")


def move_content_type_back(apps, schema_editor):
    content_type_move(apps, model="homepage", old_app="home", new_app="core")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0003_alter_standardpage_body"),
        ("images", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HomePage",
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
                        (
                            "intro",
                            models.TextField(
                                blank=True,
                                help_text="Ein kurzer Text unter dem Seitennamen (optional).",
                                verbose_name="Einleitung",
                            ),
                        ),
                        (
                            "lead_article",
                            models.ForeignKey(
                                blank=True,
                                help_text="Der große Artikel oben. Leer lassen für den neuesten Artikel.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.WAGTAIL_PAGE_MODEL,
                                verbose_name="Aufmacher",
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
                        "verbose_name": "Startseite",
                        "verbose_name_plural": "Startseiten",
                        "db_table": "core_homepage",
                    },
                    bases=("wagtailcore.page",),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.AlterModelTable(name="homepage", table=None),
    ]
