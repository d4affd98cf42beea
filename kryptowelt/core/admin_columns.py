"""Columns for the admin's lists that say things in German."""

from wagtail.admin.ui.tables import Column


class YesNoColumn(Column):
    """A yes/no field shown as "Ja"/"Nein" (Wagtail's default column prints True/False)."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if value is None:
            return ""
        return "Ja" if value else "Nein"
