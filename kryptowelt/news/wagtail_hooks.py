from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kryptowelt.news.dashboard import NewArticlePanel
from kryptowelt.news.models import Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Autorinnen und Autoren")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "role", "slug"]
    search_fields = ["name"]


register_snippet(AuthorViewSet)


@hooks.register("construct_homepage_panels")
def add_new_article_panel(request, panels):
    panels.append(NewArticlePanel())
