# HomePage now lives in `home`, SectionPage in `news` (their migrations took over the tables
# and content types); here they only leave core's migration state.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_alter_standardpage_body"),
        ("home", "0001_initial"),
        ("news", "0004_sectionpage"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HomePage"),
                migrations.DeleteModel(name="SectionPage"),
            ],
            database_operations=[],
        ),
    ]
