# The main menu now comes from the page tree: the Lexikon keeps its place and its short
# menu label from before.
from django.db import migrations


def into_menu(apps, schema_editor):
    LexiconIndexPage = apps.get_model("glossary", "LexiconIndexPage")
    Site = apps.get_model("wagtailcore", "Site")
    for root in Site.objects.select_related("root_page"):
        LexiconIndexPage.objects.filter(
            path__startswith=root.root_page.path, depth=root.root_page.depth + 1
        ).update(show_in_menus=True, menu_title="Lexikon")


class Migration(migrations.Migration):
    dependencies = [("glossary", "0003_menu_title"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(into_menu, migrations.RunPython.noop)]
