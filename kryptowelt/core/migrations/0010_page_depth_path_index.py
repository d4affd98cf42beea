"""An index on Wagtail's page table for "the children of a page" (treebeard's
`get_children()`: `depth = N AND path BETWEEN …`). With only the path index, PostgreSQL read
every descendant's entry to find the few children: the main menu asked for the home page's
eight children and read 100,000 article entries (21 ms, benchmarks/scale_100k.py); with this
index it reads the children (0.05 ms). Plain SQL: the table belongs to Wagtail, so no model
of ours can declare the index."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS kw_page_depth_path_idx ON wagtailcore_page (depth, path)"
DROP = "DROP INDEX IF EXISTS kw_page_depth_path_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_periodic_job_schedule"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP, elidable=False)]
