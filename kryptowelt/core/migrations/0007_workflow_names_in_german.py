"""Wagtail creates the review workflow and its task as "Moderators approval" (from the group
name); editors read it in the admin ("In Moderators approval einreichen", the workflow
status), so both get a German name. Only the name Wagtail gave them is changed: a name an
editor chose stays."""

from django.db import migrations

WAGTAIL_NAME = "Moderators approval"
GERMAN_NAME = "Freigabe durch die Redaktion"


def _rename(apps, old, new):
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


def to_german(apps, schema_editor):
    _rename(apps, WAGTAIL_NAME, GERMAN_NAME)


def to_wagtail(apps, schema_editor):
    _rename(apps, GERMAN_NAME, WAGTAIL_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_task_worker_heartbeat"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(to_german, to_wagtail)]
