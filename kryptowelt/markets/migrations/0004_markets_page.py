# An existing site gets the page that took over /kurse/ and /kurse/<coin>/ from plain views
# (in the main menu), and the "Trends" section keeps its market movers, which were shown by
# its slug before and are now a block the editors control.
from django.db import migrations

from kryptowelt.core.migration_operations import child_page_add, site_root_pages

VALUES = {
    "title": "Kurse",
    "slug": "kurse",
    "show_in_menus": True,
    "intro": (
        "Die größten Kryptowährungen nach Marktkapitalisierung, mit Kurs in Euro, "
        "Veränderung und Verlauf der letzten sieben Tage."
    ),
    "seo_title": "Kurse: Kryptowährungen nach Marktkapitalisierung",
    "search_description": (
        "Aktuelle Kurse der größten Kryptowährungen in Euro: Preis, Veränderung über "
        "1 Stunde, 24 Stunden und 7 Tage, Marktkapitalisierung und Handelsvolumen."
    ),
}


def add_page(apps, schema_editor):
    SectionPage = apps.get_model("news", "SectionPage")
    for root in site_root_pages(apps):
        child_page_add(
            apps, parent=root, app_label="markets", model_name="MarketsIndexPage", values=VALUES
        )
        for section in SectionPage.objects.filter(
            path__startswith=root.path, depth=root.depth + 1, slug="trends"
        ):
            if not section.header:
                section.header = [{"type": "market_movers", "value": None}]
                section.save(update_fields=["header"])


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0003_marketsindexpage"),
        ("news", "0006_pillar_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_page, migrations.RunPython.noop)]
