"""The text search configuration of the PostgreSQL search backend (SEARCH_CONFIG).

The index holds stems the app computed itself (`kryptowelt.text.search_stem_text`), and
PostgreSQL's own `german` configuration dropped every stem that is also a stop word of its
list: "Sicherheit", "sicher" and "Sicherung" all stem to "sich", so none of them was ever
found, and a query for them was empty. `kryptowelt_german` stems like `german` (Snowball,
which leaves our stems as they are) without a stop-word list; which words search leaves out
the app decides, by the word, before stemming (`SEARCH_STOP_WORDS`).

Pages indexed before this keep their vectors until `update_index` rewrites them (every
other word is found as before; "Sicherheit" in them only after)."""

from django.db import migrations

CREATE = """
CREATE TEXT SEARCH DICTIONARY kryptowelt_german_stem (TEMPLATE = snowball, LANGUAGE = german);
CREATE TEXT SEARCH CONFIGURATION kryptowelt_german (COPY = pg_catalog.german);
ALTER TEXT SEARCH CONFIGURATION kryptowelt_german
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH kryptowelt_german_stem;
"""
DROP = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS kryptowelt_german;
DROP TEXT SEARCH DICTIONARY IF EXISTS kryptowelt_german_stem;
"""


def configuration_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def configuration_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("kw_search", "0001_archiveentry")]

    operations = [
        migrations.RunPython(configuration_create, configuration_drop, elidable=False),
    ]
