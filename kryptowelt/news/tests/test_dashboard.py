"""The admin's start page as an editor meets it: "Neuer Artikel" leads straight to the form of a
new article in a section, "Meine Entwürfe" lists what the editor saved and has not published."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from kryptowelt.news.models import ArticlePage, Author, SectionPage
from kryptowelt.news.tests.test_admin import add_url, article_form
from kryptowelt.news.tests.test_drafts import article_title_only

pytestmark = pytest.mark.django_db


def _editor(django_user_model, name="redaktion"):
    user = django_user_model.objects.create_user(name, password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def _panel(html: str, panel_id: str) -> str:
    """The HTML of the dashboard panel `panel_id` ('' if the page has none)."""
    match = re.search(rf'id="{panel_id}-section".*?</section>', html, re.S)
    return match.group(0) if match else ""


def _dashboard(client) -> str:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_new_article_panel_links_to_the_article_form_of_every_section(
    client, django_user_model, home
):
    client.force_login(_editor(django_user_model))
    panel = _panel(_dashboard(client), "neuer-artikel")
    assert "Neuer Artikel" in panel
    for section in SectionPage.objects.all():
        assert f'href="{add_url(section.slug)}"' in panel
        assert f"Neuer Artikel in {section.nav_title}" in panel
    # The link opens the form of a new article.
    form = client.get(add_url())
    assert form.status_code == 200 and 'name="teaser"' in form.content.decode()


def test_who_may_not_write_articles_gets_no_new_article_panel(client, django_user_model, home):
    reader = django_user_model.objects.create_user("nur-lesen", password="pw")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    html = _dashboard(client)
    assert 'id="neuer-artikel-section"' not in html
    assert 'id="meine-entwuerfe-section"' in html  # an empty list, said in German
    assert "Keine offenen Entwürfe" in _panel(html, "meine-entwuerfe")


def test_my_drafts_lists_my_unpublished_pages_and_not_those_of_others(
    client, django_user_model, home
):
    colleague = _editor(django_user_model, "kollegin")
    client.force_login(colleague)
    assert client.post(add_url(), article_title_only("Entwurf der Kollegin")).status_code == 302

    me = _editor(django_user_model)
    client.force_login(me)
    assert client.post(add_url(), article_title_only("Mein halber Artikel")).status_code == 302
    mine = ArticlePage.objects.get(title="Mein halber Artikel")

    panel = _panel(_dashboard(client), "meine-entwuerfe")
    assert "Mein halber Artikel" in panel
    assert f'href="{reverse("wagtailadmin_pages:edit", args=(mine.pk,))}"' in panel
    assert "Entwurf der Kollegin" not in panel
    assert "Keine offenen Entwürfe" not in panel


def test_a_published_page_leaves_my_drafts(client, django_user_model, home):
    chief = django_user_model.objects.create_superuser("chefin", "chefin@example.com", "pw")
    client.force_login(chief)
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    assert client.post(add_url(), article_form(author, title="Bald online")).status_code == 302
    assert "Bald online" in _panel(_dashboard(client), "meine-entwuerfe")

    article = ArticlePage.objects.get(title="Bald online")
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    data = {**article_form(author, title="Bald online"), "action-publish": "publish"}
    assert client.post(edit_url, data).status_code == 302
    article.refresh_from_db()
    assert article.live
    assert "Bald online" not in _panel(_dashboard(client), "meine-entwuerfe")
