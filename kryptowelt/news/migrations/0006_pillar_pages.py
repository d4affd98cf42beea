# An existing site gets the pages that took over /thema/ and /autor/ from plain views, and
# its sections go into the main menu (which now comes from the page tree).
from django.db import migrations

from kryptowelt.core.migration_operations import child_page_add, site_root_pages

PAGES = [
    (
        "TopicIndexPage",
        {
            "title": "Themen",
            "slug": "thema",
            "intro": "Alle Schlagwörter unserer Artikel, von A bis Z.",
            "seo_title": "Themen: alle Schlagwörter von A bis Z",
        },
    ),
    (
        "AuthorIndexPage",
        {
            "title": "Redaktion",
            "slug": "autor",
            "intro": "Wer bei Kryptowelt schreibt, und was.",
            "seo_title": "Die Redaktion von Kryptowelt",
        },
    ),
]


def add_pages(apps, schema_editor):
    SectionPage = apps.get_model("news", "SectionPage")
    for root in site_root_pages(apps):
        SectionPage.objects.filter(path__startswith=root.path, depth=root.depth + 1).update(
            show_in_menus=True
        )
        for model_name, values in PAGES:
            child_page_add(apps, parent=root, app_label="news", model_name=model_name, values=values)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0005_section_header_topic_and_author_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_pages, migrations.RunPython.noop)]
