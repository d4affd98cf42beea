# An existing site gets the page that took over /vergleich/ and everything below it from
# plain views (in the main menu, as "Vergleiche").
from django.db import migrations

from kryptowelt.core.migration_operations import child_page_add, site_root_pages

VALUES = {
    "title": "Krypto-Anbieter im Vergleich",
    "slug": "vergleich",
    "show_in_menus": True,
    "menu_title": "Vergleiche",
    "intro": (
        "Börsen, Broker, Wallets, Sparpläne und Staking: jede Angabe mit Quelle und "
        "Prüfdatum, ein Kostenrechner für Ihre Order und ein Score, dessen Gewichte Sie "
        "selbst wählen."
    ),
    "seo_title": "Vergleiche: Krypto-Börsen, Broker, Wallets und Sparpläne",
    "search_description": (
        "Anbieter für Kryptowerte im Vergleich: Gebühren mit Quelle und Datum, "
        "Regulierung nach MiCA, Kostenrechner und ein nachvollziehbarer Score."
    ),
}


def add_page(apps, schema_editor):
    for root in site_root_pages(apps):
        child_page_add(
            apps,
            parent=root,
            app_label="comparisons",
            model_name="ComparisonIndexPage",
            values=VALUES,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0003_comparison_index_page"),
        # After the Kurse page and before the Rechner page: the menu keeps its order.
        ("markets", "0004_markets_page"),
        ("wagtailcore", "0098_apitoken"),
    ]
    run_before = [("calculators", "0002_calculators_page")]

    operations = [migrations.RunPython(add_page, migrations.RunPython.noop)]
