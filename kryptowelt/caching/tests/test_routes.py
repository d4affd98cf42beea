"""Remembered routes (caching/routes.py): cheaper page views that never serve the wrong page."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction, Site

pytestmark = pytest.mark.django_db


def test_a_page_viewed_again_costs_no_query(
    client, settings, article_factory, django_assert_num_queries
):
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 300  # as in production
    article = article_factory(title="Bitcoin-ETFs verzeichnen Zuflüsse")
    for _ in range(2):  # the first views fill the fragment caches and the related list
        assert client.get(article.url).status_code == 200
    with django_assert_num_queries(0):  # page, routing, site and privacy from memory
        response = client.get(article.url, {"seite": "1"})
    assert response.status_code == 200
    assert "Bitcoin-ETFs verzeichnen Zuflüsse" in response.content.decode()


@pytest.mark.parametrize("remove", ["unpublish", "delete"])
def test_an_unpublished_or_deleted_page_is_gone_at_once(client, article_factory, remove):
    article = article_factory(title="Bald zurückgezogen")
    url = article.url
    assert client.get(url).status_code == 200
    getattr(article, remove)()  # delete() without unpublishing first
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


def test_a_view_that_is_no_page_looks_its_site_up_once(client, article_factory):
    """Search links its hits through the request's Site; the Site is remembered per host,
    and a changed hostname is seen at once as for pages."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article_factory(title="Walfangquote im Bericht")

    def site_queries(**extra):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/suche/", {"q": "Walfangquote"}, **extra)
        assert response.status_code == 200
        return [q for q in queries.captured_queries if '"wagtailcore_site"' in q["sql"]]

    site_queries()
    assert site_queries() == []
    site = Site.objects.get(is_default_site=True)
    site.hostname = "kryptowelt.example"
    site.save()
    assert site_queries(HTTP_HOST="kryptowelt.example")  # looked up again after the change
    assert site_queries(HTTP_HOST="kryptowelt.example") == []


# --- what each process keeps while content stays the same (caching/memory.py) ---------------
def test_memory_forgets_on_a_change_after_its_time_and_when_full(monkeypatch):
    from kryptowelt.caching import memory as memory_module
    from kryptowelt.caching.scopes import Scope, changed, stamp

    clock = [1000.0]
    monkeypatch.setattr(memory_module.time, "monotonic", lambda: clock[0])
    memory = memory_module.ProcessMemory(max_bytes=10)
    memory.set("a", stamp([Scope.CONTENT]), "12345", seconds=60)
    assert memory.get("a")[1] == "12345"
    changed(Scope.MARKETS)  # prices changed: content did not
    assert memory.get("a")[1] == "12345"
    changed(Scope.CONTENT)  # a publish
    assert memory.get("a") is None
    memory.set("a", stamp([Scope.CONTENT]), "12345", seconds=60)
    clock[0] += 61
    assert memory.get("a") is None  # expired like the shared cache entry
    memory.set("a", stamp([Scope.CONTENT]), "12345", seconds=60)
    memory.set("b", stamp([Scope.CONTENT]), "123456", seconds=60)  # 11 bytes > 10: oldest goes
    assert memory.get("a") is None and memory.get("b")[1] == "123456"
    memory.set("c", stamp([Scope.CONTENT]), "x" * 11, seconds=60)  # larger than the memory
    assert memory.get("c") is None and memory.get("b")[1] == "123456"


def test_a_new_section_and_an_edited_article_show_at_once(client, settings, article_factory):
    from kryptowelt.home.models import HomePage
    from kryptowelt.news.models import SectionPage

    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 300  # as in production
    article = article_factory(title="Stand vor der Änderung")
    for _ in range(2):
        html = client.get(article.url).content.decode()
    assert "Stand vor der Änderung" in html and "Steuern &amp; Recht" not in html

    home = HomePage.objects.get()
    section = SectionPage(
        title="Steuern & Recht", slug="steuern-recht", intro="Rubrik", show_in_menus=True
    )
    home.add_child(instance=section)
    section.save_revision().publish()
    article.title = "Stand nach der Änderung"
    article.save_revision().publish()

    html = client.get(article.url).content.decode()
    assert "Steuern &amp; Recht" in html  # the navigation
    assert "Stand nach der Änderung" in html and "Stand vor der Änderung" not in html


def test_long_pages_count_for_what_they_take_in_the_memory(client, article_factory, monkeypatch):
    from kryptowelt.caching import memory, routes

    monkeypatch.setattr(routes, "memory", memory.ProcessMemory(max_bytes=60_000))
    short = article_factory(title="Kurz")
    long = article_factory(title="Lang", body="Ein Satz über Bitcoin und Ether. " * 1500)
    assert client.get(short.url).status_code == 200
    assert client.get(long.url).status_code == 200  # ~50 KB of text, ~200 KB of blocks
    kept = {key for key in routes.memory.entries if key.startswith("route:")}
    assert not any(key.endswith(long.url) for key in kept)
    assert any(key.endswith(short.url) for key in kept)
    assert "Ein Satz über Bitcoin" in client.get(long.url).content.decode()  # routed anew


# --- Wagtail's private request attributes this package sets (caching/routes.py) ------------
def test_wagtail_still_reads_the_private_request_attributes_we_set(rf, home):
    """routes.py hands Wagtail a remembered route, site and site root paths through private
    request attributes. If an upgrade renames or stops reading them, this fails (and the
    route memory would silently stop working or serve stale data)."""
    from wagtail.models import Page
    from wagtail.url_routing import RouteResult

    from kryptowelt.caching import routes

    request = rf.get("/irgendwo/")
    remembered_route = RouteResult(home)
    setattr(request, routes.ROUTE_ATTRIBUTE, remembered_route)
    assert Page.route_for_request(request, "/irgendwo/") is remembered_route

    request = rf.get("/")
    site = Site.objects.get(is_default_site=True)
    setattr(request, routes.SITE_ATTRIBUTE, site)
    assert Site.find_for_request(request) is site

    request = rf.get("/")
    marker = [(site.pk, home.path, home.url_path, "http://testserver", "de")]
    setattr(request, routes.ROOT_PATHS_ATTRIBUTE, marker)
    assert home._get_site_root_paths(request) is marker


def test_wagtail_sets_the_attributes_we_remember(client, article_factory):
    from wagtail.url_routing import RouteResult

    from kryptowelt.caching import routes

    article = article_factory()
    response = client.get(article.url)
    request = response.wsgi_request
    assert isinstance(getattr(request, routes.ROUTE_ATTRIBUTE), RouteResult)
    assert getattr(request, routes.SITE_ATTRIBUTE) == Site.objects.get(is_default_site=True)
    assert hasattr(request, routes.ROOT_PATHS_ATTRIBUTE)


def test_a_routable_page_s_sub_route_is_remembered_once_it_answered(client, home):
    from kryptowelt.caching import routes
    from kryptowelt.markets.services.sync import coin_markets_sync
    from kryptowelt.markets.tests.fakes import make_client, markets_api

    assert coin_markets_sync(client=make_client(markets_api())).ok
    assert client.get("/kurse/bitcoin/").status_code == 200
    assert client.get("/kurse/gibt-es-nicht/").status_code == 404
    kept = {key.rsplit(":", 1)[-1] for key in routes.memory.entries if key.startswith("route:")}
    assert "/kurse/bitcoin/" in kept
    assert "/kurse/gibt-es-nicht/" not in kept
    again = client.get("/kurse/bitcoin/")  # served through the remembered route
    assert again.status_code == 200 and "Bitcoin" in again.content.decode()
