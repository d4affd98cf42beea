"""Topics (tags) readers can meet: no topic without a letter or digit, and a topic whose
slug is broken (empty, not ASCII: old data, a direct database import) never breaks a page."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from kryptowelt.news.models import ArticlePage, Author, SectionPage, Topic

pytestmark = pytest.mark.django_db

BROKEN_SLUGS = ["", "bücher"]


@pytest.mark.parametrize("slug", BROKEN_SLUGS)
def test_a_topic_with_a_broken_slug_never_breaks_a_page(article_factory, client, slug):
    article = article_factory(title="Mit kaputtem Schlagwort", tags=["Bitcoin", "Altlast"])
    Topic.objects.filter(name="Altlast").update(slug=slug)
    article = ArticlePage.objects.get(pk=article.pk)

    for path in [article.url, "/thema/", "/sitemap.xml", "/trends/", "/thema/bitcoin/", "/"]:
        assert client.get(path).status_code == 200, path
    html = client.get(article.url).content.decode()
    assert '<span class="tag">Altlast</span>' in html  # shown, without a link
    assert 'href="/thema/bitcoin/"' in html
    assert "Altlast" not in client.get("/thema/").content.decode()
    # Publishing purges the topic pages: the broken one is left out instead of failing.
    assert any(url.endswith("/thema/bitcoin/") for url in article.get_purge_urls())


@pytest.fixture
def editor(client, django_user_model, home):
    user = django_user_model.objects.create_superuser("chefin", "chefin@example.com", "pw")
    client.force_login(user)
    return client


def _article_form(tags: str) -> dict:
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    return nested_form_data(
        {
            "title": "Neue Regeln für Kryptobörsen",
            "slug": "neue-regeln",
            "teaser": "Was sich für Anleger ändert.",
            "body": streamfield([("paragraph", rich_text("<p>Die Aufsicht handelt.</p>"))]),
            "article_authors": inline_formset([{"author": str(author.pk)}], min=1),
            "tags": tags,
            "related_pins": inline_formset([]),
            "glossary_links": "on",
            "action-publish": "publish",
        }
    )


def _add_url() -> str:
    section = SectionPage.objects.get(slug="neuigkeiten")
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))


def test_the_admin_refuses_tags_without_a_letter_or_digit(editor):
    response = editor.post(_add_url(), _article_form('Bitcoin, 🚀, "...", \u200b'))
    html = response.content.decode()
    assert response.status_code == 200
    assert "„🚀“" in html and "„...“" in html and "unsichtbaren Zeichen" in html
    assert "mindestens einen Buchstaben oder eine Ziffer" in html
    assert not ArticlePage.objects.filter(slug="neue-regeln").exists()
    assert not Topic.objects.filter(name="🚀").exists()


def test_the_admin_keeps_tags_like_c_plus_plus_and_web3(editor):
    response = editor.post(_add_url(), _article_form("C++, Web3, Bitcoin\u200b"))
    assert response.status_code == 302, response.content.decode()[:3000]
    article = ArticlePage.objects.get(slug="neue-regeln")
    assert sorted(tag.name for tag in article.tags.all()) == ["Bitcoin", "C++", "Web3"]
