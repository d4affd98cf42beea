"""The editors' form for articles: drafts save with little filled in, tags are checked
before they become topics."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kryptowelt.core.admin_forms import DraftFriendlyPageForm
from kryptowelt.core.text import TAG_WITHOUT_LETTERS, tag_name_clean, tag_name_meaningful


class ArticlePageForm(DraftFriendlyPageForm):
    minimum_messages = {
        "article_authors": _("Bitte mindestens eine Autorin oder einen Autor auswählen."),
    }

    def clean_tags(self):
        """Tags without invisible characters; one without a letter or digit is refused (it
        would become a topic page named "🚀" or "…")."""
        tags, refused = [], []
        for raw in self.cleaned_data.get("tags") or []:
            tag = tag_name_clean(raw)
            if not tag_name_meaningful(tag):
                refused.append(
                    f"„{raw.strip()}“" if tag else "ein Schlagwort aus unsichtbaren Zeichen"
                )
            elif tag.casefold() not in {known.casefold() for known in tags}:
                tags.append(tag)
        if refused:
            raise ValidationError(f"Nicht möglich: {', '.join(refused)}. {TAG_WITHOUT_LETTERS}")
        return tags
