"""Drafts save as they are, publishing needs everything: an editor's path through the admin
(Django test client, logged in as a member of Wagtail's "Editors" group, whose changes go
through review)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.blocks.base import BlockField
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from kryptowelt.core.text import german_slugify
from kryptowelt.glossary.factories import lexicon_index_make
from kryptowelt.glossary.models import LexiconTermPage
from kryptowelt.guides.factories import guide_make
from kryptowelt.guides.models import ChapterPage
from kryptowelt.news.models import ArticlePage, Author
from kryptowelt.news.tests.test_admin import add_url, article_form

pytestmark = pytest.mark.django_db

REQUIRED = "Dieses Feld muss ausgefüllt werden."


@pytest.fixture
def editor_client(client, django_user_model, home):
    editor = django_user_model.objects.create_user("redaktion", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def title_only(model, title: str, **extra) -> dict:
    """What the editor's browser posts for a new page of `model` with nothing but a title:
    every inline panel and StreamField empty, an article's author row shown but not chosen."""
    form_class = model.get_edit_handler().get_form_class()
    data = {"title": title, "slug": german_slugify(title)}
    for name in form_class.formsets:
        if name != "comments":
            data[name] = inline_formset([])
    for name, field in form_class.base_fields.items():
        if isinstance(field, BlockField):
            data[name] = streamfield([])
    data.update(extra)
    return nested_form_data(data)


def article_title_only(title="Nur ein Titel bisher"):
    # The inline panel shows one author row from the start (min_num=1); nothing chosen yet.
    return title_only(ArticlePage, title, article_authors=inline_formset([{"author": ""}], min=1))


def test_a_new_article_with_only_a_title_saves_as_a_draft(editor_client):
    response = editor_client.post(add_url(), article_title_only(), follow=True)
    assert response.status_code == 200
    article = ArticlePage.objects.get(slug="nur-ein-titel-bisher")
    assert not article.live
    assert article.teaser == "" and len(article.body) == 0
    assert list(article.article_authors.all()) == []  # the empty row is not stored
    assert "Seite ‚Nur ein Titel bisher‘ erstellt." in response.content.decode()


def test_an_autosave_of_a_new_article_with_only_a_title_creates_the_draft(editor_client):
    response = editor_client.post(
        add_url(), article_title_only("Automatisch gespeichert"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200, response.content.decode()[:500]
    assert response.json()["success"] is True
    article = ArticlePage.objects.get(pk=response.json()["pk"])
    assert article.title == "Automatisch gespeichert" and not article.live


def test_a_draft_saved_before_the_slug_was_filled_in_gets_one_from_its_title(editor_client):
    # The admin fills in the slug when the title field is left; an autosave can come first.
    for _ in range(2):
        data = {**article_title_only("Noch ohne Adresse"), "slug": ""}
        assert editor_client.post(add_url(), data).status_code == 302
    slugs = ArticlePage.objects.filter(title="Noch ohne Adresse").values_list("slug", flat=True)
    assert sorted(slugs) == ["noch-ohne-adresse", "noch-ohne-adresse-2"]


def test_submitting_an_incomplete_draft_for_review_names_what_is_missing(editor_client):
    editor_client.post(add_url(), article_title_only())
    article = ArticlePage.objects.get(slug="nur-ein-titel-bisher")
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    response = editor_client.post(edit_url, {**article_title_only(), "action-submit": "submit"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["teaser"] == [REQUIRED]
    assert form.errors["body"]
    assert form.formsets["article_authors"].forms[0].errors["author"] == [REQUIRED]
    html = response.content.decode()
    assert "Aufgrund von Fehlern bei der Validierung konnte die Seite nicht gespeichert" in html
    article.refresh_from_db()
    assert article.current_workflow_state is None and not article.live


def test_publishing_without_any_author_asks_for_one_in_german(client, django_user_model, home):
    client.force_login(django_user_model.objects.create_superuser("chefin", "c@example.org", "x"))
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    data = article_form(author, article_authors=inline_formset([], min=1))
    response = client.post(add_url(), {**data, "action-publish": "publish"})
    assert response.status_code == 200
    assert "Bitte mindestens eine Autorin oder einen Autor auswählen." in response.content.decode()
    assert "Formular" not in str(response.context["form"].formsets["article_authors"].errors)
    assert not ArticlePage.objects.filter(slug="neue-regeln-fuer-kryptoboersen").exists()


def test_an_author_chosen_in_a_draft_is_kept(editor_client):
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    data = title_only(
        ArticlePage,
        "Mit Autorin",
        article_authors=inline_formset([{"author": str(author.pk)}], min=1),
    )
    assert editor_client.post(add_url(), data).status_code == 302
    article = ArticlePage.objects.get(slug="mit-autorin")
    assert article.authors == [author]


@pytest.mark.parametrize("model", [LexiconTermPage, ChapterPage])
def test_other_page_types_save_drafts_with_only_a_title(editor_client, home, model):
    parent = (
        lexicon_index_make(home=home)
        if model is LexiconTermPage
        else guide_make(home=home, chapters=())
    )
    url = reverse(
        "wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk)
    )
    response = editor_client.post(url, title_only(model, "Erst einmal nur ein Titel"))
    assert response.status_code == 302, response.context["form"].errors
    page = model.objects.get(slug="erst-einmal-nur-ein-titel")
    assert not page.live
    # Submitting it for review still needs everything.
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = {**title_only(model, "Erst einmal nur ein Titel"), "action-submit": "submit"}
    response = editor_client.post(edit_url, data)
    assert response.status_code == 200
    missing = {"short_definition"} if model is LexiconTermPage else {"teaser", "body"}
    assert missing <= set(response.context["form"].errors)


def test_the_preview_shows_a_draft_with_only_a_title(editor_client):
    editor_client.post(add_url(), article_title_only())
    article = ArticlePage.objects.get(slug="nur-ein-titel-bisher")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    assert editor_client.post(url, article_title_only()).json()["is_valid"]
    response = editor_client.get(url, {"in_preview_panel": "true"})
    assert response.status_code == 200
    assert "Nur ein Titel bisher" in response.content.decode()
    view_draft = editor_client.get(reverse("wagtailadmin_pages:view_draft", args=(article.pk,)))
    assert view_draft.status_code == 200


def test_a_draft_with_blocks_still_empty_saves_and_previews(editor_client):
    """The editor inserted every kind of block and filled none of them yet."""
    empty_blocks = streamfield(
        [
            ("heading", {"text": "", "level": "h2"}),
            ("paragraph", rich_text("")),
            ("quote", {"text": "", "attribution": ""}),
            ("image", {"image": "", "caption": ""}),
            ("tip", {"title": "", "text": rich_text("")}),
            ("embed", {"embed": "", "caption": ""}),
            ("price", {"coin": "", "note": ""}),
            ("provider_box", {"provider": "", "heading": ""}),
            ("comparison_table", {"heading": "", "kind": "krypto-boersen", "sort": "score"}),
        ]
    )
    data = title_only(
        ArticlePage,
        "Bausteine ohne Inhalt",
        body=empty_blocks,
        article_authors=inline_formset([{"author": ""}], min=1),
    )
    response = editor_client.post(add_url(), data)
    assert response.status_code == 302, response.context["form"].errors
    article = ArticlePage.objects.get(slug="bausteine-ohne-inhalt")
    assert len(article.body) == 9
    view_draft = editor_client.get(reverse("wagtailadmin_pages:view_draft", args=(article.pk,)))
    assert view_draft.status_code == 200
    assert "Bausteine ohne Inhalt" in view_draft.content.decode()
