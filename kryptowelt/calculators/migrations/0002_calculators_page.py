# An existing site gets the page that took over /rechner/ and its calculators from plain
# views (in the main menu).
from django.db import migrations

from kryptowelt.core.migration_operations import child_page_add, site_root_pages

VALUES = {
    "title": "Rechner",
    "slug": "rechner",
    "show_in_menus": True,
    "intro": (
        "Nüchtern gerechnet statt versprochen: was ein Sparplan auf echten Kursen gebracht "
        "hätte, was ein Trade nach Gebühren übrig lässt und was davon das Finanzamt wissen will."
    ),
    "seo_title": "Rechner: Sparplan, Gewinn und Krypto-Steuer",
    "search_description": (
        "Sparplan-Rechner auf echten Kursen, Gewinn-Rechner mit Gebühren und "
        "Krypto-Steuerrechner für Deutschland – nüchtern gerechnet."
    ),
}


def add_page(apps, schema_editor):
    for root in site_root_pages(apps):
        child_page_add(
            apps,
            parent=root,
            app_label="calculators",
            model_name="CalculatorIndexPage",
            values=VALUES,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("calculators", "0001_calculator_index_page"),
        # After the Kurse page, so the menu keeps its order: sections, Kurse, Rechner.
        ("markets", "0004_markets_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_page, migrations.RunPython.noop)]
