"""The "Neuer Artikel" panel on the admin's start page."""

from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.admin.ui.components import Component

from kryptowelt.news.selectors import sections_for_new_article


class NewArticlePanel(Component):
    """One button per section in which the editor may start an article."""

    name = "neuer_artikel"
    template_name = "news/admin/dashboard_new_article.html"
    order = 50  # first on the page

    def get_context_data(self, parent_context):
        sections = sections_for_new_article(user=parent_context["request"].user)
        return {
            "sections": [
                {
                    "title": section.nav_title,
                    "add_url": reverse(
                        "wagtailadmin_pages:add", args=("news", "articlepage", section.pk)
                    ),
                }
                for section in sections
            ]
        }

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context or {})
        if not context["sections"]:
            return ""  # someone who may not write articles sees no such panel
        return render_to_string(self.template_name, context)
