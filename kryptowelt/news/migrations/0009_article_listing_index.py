"""The index a section page reads its articles from (news.selectors.article_ids): per parent
page and page type, newest first, with the path so that PostgreSQL answers from the index
alone (an expression index does not count its column as stored). Before, a section page
with 45,000 articles counted them with a sequential scan of the page table (50–70 ms) and
sorted them all for a deep page (136 ms); now both read index entries only.

Plain SQL: the table belongs to Wagtail, so no model of ours can declare the index. The
expression is `kryptowelt.news.selectors.ParentPath` written out; a test checks that
PostgreSQL uses it. SQLite (the embedded default) gets the same keys without INCLUDE and
without the partial condition, which it does not match against Django's SQL."""

from django.db import migrations

NAME = "news_article_listing_idx"
KEYS = "SUBSTR(path, 1, LENGTH(path) - 4), content_type_id, first_published_at DESC, id DESC"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        sql = f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailcore_page ({KEYS}) INCLUDE (path) WHERE live"
    else:
        sql = f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailcore_page ({KEYS})"
    schema_editor.execute(sql)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0008_body_table_block"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
