"""The editors' form for articles."""

from django.utils.translation import gettext_lazy as _

from kryptowelt.core.admin_forms import DraftFriendlyPageForm


class ArticlePageForm(DraftFriendlyPageForm):
    minimum_messages = {
        "article_authors": _("Bitte mindestens eine Autorin oder einen Autor auswählen."),
    }
