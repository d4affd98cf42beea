"""Remembered routes (core/routing.py): cheaper page views that never serve the wrong page."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction, Site

pytestmark = pytest.mark.django_db


def test_a_page_viewed_again_costs_one_query(
    client, settings, article_factory, django_assert_num_queries
):
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 300  # as in production
    article = article_factory(title="Bitcoin-ETFs verzeichnen Zuflüsse")
    for _ in range(2):  # the first views fill the fragment caches and the related list
        assert client.get(article.url).status_code == 200
    with django_assert_num_queries(1):  # the page itself; routing, site and privacy from memory
        response = client.get(article.url, {"seite": "1"})
    assert response.status_code == 200
    assert "Bitcoin-ETFs verzeichnen Zuflüsse" in response.content.decode()


def test_an_unpublished_page_is_gone_at_once(client, article_factory):
    article = article_factory(title="Bald zurückgezogen")
    url = article.url
    assert client.get(url).status_code == 200
    article.unpublish()
    assert client.get(url).status_code == 404


def test_a_renamed_page_moves_to_its_new_address(client, article_factory):
    article = article_factory(title="Alter Titel")
    old_url = article.url
    assert client.get(old_url).status_code == 200
    article.slug = "neuer-titel"
    article.save_revision().publish()
    article.refresh_from_db()
    assert client.get(old_url).status_code == 404
    response = client.get(article.url)
    assert response.status_code == 200 and "Alter Titel" in response.content.decode()


def test_a_page_made_private_asks_for_a_login(client, article_factory):
    article = article_factory(title="Nur für die Redaktion")
    assert client.get(article.url).status_code == 200
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.GROUPS
    ).groups.add(Group.objects.get_or_create(name="Editors")[0])
    response = client.get(article.url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert "Nur für die Redaktion" not in response.content.decode()


def test_a_page_deleted_without_unpublishing_is_not_served(client, article_factory):
    article = article_factory(title="Gelöscht")
    url = article.url
    assert client.get(url).status_code == 200
    article.delete()
    assert client.get(url).status_code == 404


def test_a_changed_site_hostname_is_seen_at_once(client, article_factory):
    article = article_factory(title="Auf der alten Domain")
    path = article.url
    assert client.get(path).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.is_default_site = False
    site.hostname = "kryptowelt.example"
    site.save()
    # testserver no longer matches any site: Wagtail finds no page for it.
    assert client.get(path).status_code == 404
    assert client.get(path, HTTP_HOST="kryptowelt.example").status_code == 200
