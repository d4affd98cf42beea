# The main menu now comes from the page tree: the Ratgeber keep their place and their short
# menu label from before.
from django.db import migrations


def into_menu(apps, schema_editor):
    GuideIndexPage = apps.get_model("guides", "GuideIndexPage")
    Site = apps.get_model("wagtailcore", "Site")
    for root in Site.objects.select_related("root_page"):
        GuideIndexPage.objects.filter(
            path__startswith=root.root_page.path, depth=root.root_page.depth + 1
        ).update(show_in_menus=True, menu_title="Ratgeber")


class Migration(migrations.Migration):
    dependencies = [("guides", "0003_menu_title"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(into_menu, migrations.RunPython.noop)]
