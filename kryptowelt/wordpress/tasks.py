"""Background tasks (django-tasks) of the WordPress import."""

from django_tasks import task

from kryptowelt.wordpress.runs import import_run_execute


# Below the default priority: purges and search updates of the pages being imported go first.
@task(priority=-5)
def wordpress_import_task(import_id: int) -> str:
    """Import an uploaded WXR file (a WordPressImport row) with its options."""
    return import_run_execute(import_id=int(import_id))
