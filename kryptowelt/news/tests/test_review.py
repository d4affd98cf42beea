"""The review workflow as editors and the reviewer meet it in the admin, in German: the
workflow's name, the submit button, and a confirmation after approving or rejecting."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow

from kryptowelt.news.models import ArticlePage, Author
from kryptowelt.news.tests.test_admin import add_url, article_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model, home):
    user = django_user_model.objects.create_user("redaktion", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def submitted(client, editor):
    """An article the editor submitted for review."""
    client.force_login(editor)
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    data = {**article_form(author), "action-submit": "submit"}
    assert client.post(add_url(), data).status_code == 302
    return ArticlePage.objects.get(slug="neue-regeln-fuer-kryptoboersen")


@pytest.fixture
def reviewer(client, django_user_model, home):
    user = django_user_model.objects.create_user("chefredaktion", password="pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_the_workflow_has_a_german_name():
    # Wagtail created it as "Moderators approval"; core's migration 0006 renamed it.
    assert list(Workflow.objects.values_list("name", flat=True)) == ["Freigabe durch die Redaktion"]


def test_the_editor_submits_zur_freigabe(client, editor):
    client.force_login(editor)
    html = client.get(add_url()).content.decode()
    assert "Zur Freigabe einreichen" in html
    assert "Moderators" not in html and "approval" not in html


def test_the_status_of_a_submitted_article_names_the_workflow_in_german(client, submitted):
    html = client.get(reverse("wagtailadmin_pages:edit", args=(submitted.pk,))).content.decode()
    assert "Freigabe durch die Redaktion" in html
    assert "Moderators approval" not in html


def _act(client, page, action):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    next_url = reverse("wagtailadmin_home")
    return client.post(f"{url}?next={next_url}", {"comment": ""}, follow=True)


def test_approving_from_the_start_page_publishes_and_says_so(client, submitted, reviewer):
    client.force_login(reviewer)
    response = _act(client, submitted, "approve")
    assert response.status_code == 200
    assert "‚Neue Regeln für Kryptobörsen‘ ist freigegeben und veröffentlicht." in (
        response.content.decode()
    )
    submitted.refresh_from_db()
    assert submitted.live


def test_rejecting_says_that_changes_were_asked_for(client, submitted, reviewer, editor):
    client.force_login(reviewer)
    html = _act(client, submitted, "reject").content.decode()
    assert "Für ‚Neue Regeln für Kryptobörsen‘ wurden Änderungen angefordert." in html
    submitted.refresh_from_db()
    assert not submitted.live
    # The editor resubmits, in German too.
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(submitted.pk,))).content.decode()
    assert "Erneut zur Freigabe einreichen" in html
