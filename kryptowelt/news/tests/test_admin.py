"""The editor's path through the Wagtail admin: create, preview, publish, schedule, review."""

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from kryptowelt.news.models import ArticlePage, Author

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model, home):
    user = django_user_model.objects.create_superuser("chefin", "chefin@example.com", "pw")
    client.force_login(user)
    return client


def article_form(author, **overrides):
    data = {
        "title": "Neue Regeln für Kryptobörsen",
        "slug": "neue-regeln-fuer-kryptoboersen",
        "teaser": "Was sich für Anleger ändert.",
        "body": streamfield(
            [
                ("heading", {"text": "Was sich ändert", "level": "h2"}),
                ("paragraph", rich_text("<p>Die Aufsicht verschärft die Regeln.</p>")),
                (
                    "tip",
                    {"title": "Lizenz prüfen", "text": rich_text("<p>Im Register nachsehen.</p>")},
                ),
                ("quote", {"text": "Transparenz schafft Vertrauen.", "attribution": "Redaktion"}),
            ]
        ),
        "article_authors": inline_formset([{"author": str(author.pk)}], min=1),
        "tags": "Regulierung, MiCA",
        "hero_caption": "",
        "updated_at": "",
        "seo_title": "",
        "search_description": "",
        "related_pins": inline_formset([]),  # kryptowelt.related: pinned related articles
        "glossary_links": "on",
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(section_slug="neuigkeiten"):
    from kryptowelt.news.models import SectionPage

    section = SectionPage.objects.get(slug=section_slug)
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))


def test_admin_is_german(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'lang="de"' in html
    assert "Seiten" in html


def test_editor_creates_and_publishes_article_that_appears_on_home_and_feed(admin_client, client):
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    response = admin_client.post(add_url(), {**article_form(author), "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(slug="neue-regeln-fuer-kryptoboersen")
    assert article.live
    assert {t.name for t in article.tags.all()} == {"Regulierung", "MiCA"}
    assert "Neue Regeln für Kryptobörsen" in client.get("/").content.decode()
    assert "Neue Regeln für Kryptobörsen" in client.get("/feeds/rss/").content.decode()
    page = client.get(article.url).content.decode()
    assert "Lizenz prüfen" in page and "Keine Anlageberatung" in page


def test_saving_a_draft_does_not_publish(admin_client, client):
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    response = admin_client.post(add_url(), article_form(author))
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="neue-regeln-fuer-kryptoboersen")
    assert not article.live
    assert "Neue Regeln" not in client.get("/").content.decode()


def test_article_needs_an_author_and_teaser(admin_client):
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    data = article_form(author, teaser="", article_authors=inline_formset([], min=1))
    response = admin_client.post(add_url(), {**data, "action-publish": "publish"})
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="neue-regeln-fuer-kryptoboersen").exists()


def test_preview_renders_the_article(admin_client):
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    from kryptowelt.news.models import SectionPage

    section = SectionPage.objects.get(slug="neuigkeiten")
    url = reverse("wagtailadmin_pages:preview_on_add", args=("news", "articlepage", section.pk))
    assert admin_client.post(url, article_form(author)).json()["is_valid"]
    html = admin_client.get(url).content.decode()
    assert "Neue Regeln für Kryptobörsen" in html and "Was sich ändert" in html


def _directives(response) -> dict[str, str]:
    return {
        part.strip().partition(" ")[0]: part.strip().partition(" ")[2]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


def test_preview_may_be_framed_by_the_admin_only_and_public_pages_by_nobody(
    admin_client, client, article_factory
):
    """The preview panel is an iframe of our own admin: the preview keeps the strict public
    policy, but allows framing by the same origin; the published page allows no frame."""
    article = article_factory(title="Vorschau im Rahmen")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    assert admin_client.post(url, article_form(author, title="Vorschau im Rahmen")).json()[
        "is_valid"
    ]
    preview = admin_client.get(url, {"in_preview_panel": "true"})
    assert "Vorschau im Rahmen" in preview.content.decode()
    policy = _directives(preview)
    assert policy["frame-ancestors"] == "'self'"
    assert policy["script-src"] == "'self'"  # still the public policy, no inline scripts
    assert preview["X-Frame-Options"] == "SAMEORIGIN"

    public = client.get(article.url)
    assert _directives(public)["frame-ancestors"] == "'none'"
    assert public["X-Frame-Options"] == "DENY"


def test_scheduled_article_goes_live_when_its_time_comes(admin_client, client):
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    go_live = (timezone.localtime() + timezone.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    data = {**article_form(author, go_live_at=go_live), "action-publish": "publish"}
    assert admin_client.post(add_url(), data).status_code == 302
    article = ArticlePage.objects.get(slug="neue-regeln-fuer-kryptoboersen")
    assert not article.live
    assert Revision.objects.filter(object_id=str(article.pk), approved_go_live_at__isnull=False)
    call_command("publish_scheduled", verbosity=0)  # too early: nothing happens
    article.refresh_from_db()
    assert not article.live
    with time_machine.travel(timezone.now() + timezone.timedelta(days=1, minutes=5)):
        call_command("publish_scheduled", verbosity=0)
    article.refresh_from_db()
    assert article.live
    assert article.title in client.get("/").content.decode()


def test_editor_without_publish_rights_submits_for_review(client, django_user_model, home):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("redaktion", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    data = {**article_form(author), "action-submit": "submit"}
    assert client.post(add_url(), data).status_code == 302
    article = ArticlePage.objects.get(slug="neue-regeln-fuer-kryptoboersen")
    assert not article.live
    workflow_state = article.current_workflow_state
    assert workflow_state is not None and workflow_state.status == "in_progress"
