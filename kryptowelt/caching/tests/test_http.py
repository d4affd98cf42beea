"""Cache-Control on every response, the whole-page cache, fragments, and purging on publish."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from kryptowelt.caching.http import TRACKING_QUERY_PARAMS, CacheControlMiddleware
from kryptowelt.caching.purge import NginxPurgeBackend

pytestmark = pytest.mark.django_db

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    """What the `purged` fixture (kryptowelt/conftest.py) puts in place of nginx."""

    def purge(self, url):
        PURGED.append(url)


def test_public_pages_are_cacheable_by_shared_caches(client, article_factory):
    article = article_factory(tags=["Bitcoin"])
    # The home page shows prices: shared caches keep it as briefly as the price pages
    # (kryptowelt/home/tests/test_home.py).
    for url in (
        "/neuigkeiten/",
        article.url,
        "/thema/bitcoin/",
        "/feeds/rss/",
        "/feeds/neuigkeiten/atom/",
        "/sitemap.xml",
        "/gibt-es-nicht/",
    ):
        response = client.get(url)
        value = response["Cache-Control"]
        assert value.startswith("public, max-age=60"), (url, value)
        assert "s-maxage=300" in value, (url, value)
        assert not response.cookies, url
        assert "Accept-Language" not in response.get("Vary", ""), url


def test_later_listing_pages_are_cached_only_briefly(client, article_factory, settings):
    settings.KRYPTOWELT_ARTICLES_PER_PAGE = 1
    article_factory(section="wissen", tags=("Ether",))
    article_factory(section="wissen", tags=("Ether",))
    assert client.get("/wissen/")["Cache-Control"] == "public, max-age=60, s-maxage=300"
    for path in ("/wissen/?seite=2", "/thema/ether/?seite=2"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "public, max-age=60, s-maxage=60", path


def test_search_results_are_cached_only_briefly(client, home):
    assert client.get("/suche/?q=Bitcoin")["Cache-Control"] == "public, max-age=60, s-maxage=60"


def test_admin_posts_forms_and_editors_are_never_cached(client, article_factory):
    article = article_factory()
    assert client.get("/admin/login/")["Cache-Control"] == "private, no-store"
    assert client.post("/suche/", {"q": "x"})["Cache-Control"] == "private, no-store"
    editor = get_user_model().objects.create_superuser("chefin", "c@example.org", "x")
    client.force_login(editor)
    # The admin hands a logged-in editor the editor cookie (caching/editors.py).
    for url in ("/admin/", "/", article.url, f"/admin/pages/{article.pk}/edit/"):
        assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_responses_that_set_cookies_are_private(rf, home):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("x")
        response.set_cookie("newsletter", "1")
        return response

    response = CacheControlMiddleware(view)(rf.get("/"))
    assert response["Cache-Control"] == "private, no-store"


def test_page_cache_serves_hits_until_something_is_published(client, article_factory, settings):
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300
    first = article_factory(title="Erster Artikel im Cache")
    assert client.get("/")["X-App-Cache"] == "MISS"
    hit = client.get("/")
    assert hit["X-App-Cache"] == "HIT"
    assert "Erster Artikel im Cache" in hit.content.decode()
    assert hit["Cache-Control"].startswith("public")

    article_factory(title="Frisch veröffentlicht")
    fresh = client.get("/")
    assert fresh["X-App-Cache"] == "MISS"
    assert "Frisch veröffentlicht" in fresh.content.decode()

    first.unpublish()
    assert "Erster Artikel im Cache" not in client.get("/").content.decode()


def test_page_cache_skips_editors_and_unknown_query_parameters(client, article_factory, settings):
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300
    article_factory()
    client.get("/neuigkeiten/?seite=1")
    assert client.get("/neuigkeiten/?seite=1")["X-App-Cache"] == "HIT"
    assert "X-App-Cache" not in client.get("/neuigkeiten/?sortierung=x")
    assert "X-App-Cache" not in client.get("/suche/?q=Bitcoin")
    client.force_login(get_user_model().objects.create_superuser("a", "a@example.org", "x"))
    client.get("/admin/")  # sets the editor cookie
    assert "X-App-Cache" not in client.get("/neuigkeiten/?seite=1")


def test_links_with_tracking_parameters_get_the_same_page_and_cache_entry(
    client, article_factory, settings
):
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300
    article = article_factory(title="Geteilt in sozialen Netzwerken")
    assert client.get(article.url)["X-App-Cache"] == "MISS"
    shared = client.get(article.url, {"utm_source": "newsletter", "fbclid": "IwAR0abc"})
    assert shared["X-App-Cache"] == "HIT"
    assert client.get(article.url, {"UTM_Campaign": "x", "seite": "2"})["X-App-Cache"] == "MISS"
    assert client.get(article.url, {"seite": "2"})["X-App-Cache"] == "HIT"
    # A form view sees no parameter it does not know: the cost calculator shows its example.
    plain = client.get("/vergleich/kostenrechner/")
    tracked = client.get("/vergleich/kostenrechner/", {"utm_source": "newsletter"})
    assert plain.status_code == tracked.status_code == 200
    assert tracked.content == plain.content


def test_nginx_leaves_out_of_its_cache_key_what_the_app_drops():
    from pathlib import Path

    from django.conf import settings as django_settings

    conf = (Path(django_settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    pattern = re.search(r"map \$args \$cache_query \{\n.*\n\s+\"~\*\^\(\?:\(\?:([^)]*)\)", conf)
    assert pattern is not None, "map $args $cache_query fehlt in deploy/nginx.conf"
    assert set(pattern.group(1).split("|")) == {"utm_[a-z0-9_]*", *TRACKING_QUERY_PARAMS}


def test_publishing_purges_the_article_its_lists_tags_feeds_and_home(purged, article_factory):
    article = article_factory(section="tipps", tags=["Steuern", "Bitcoin"], author="Anna Beispiel")
    base = "http://testserver"
    expected = {
        f"{base}{article.url}",
        f"{base}/",
        f"{base}/tipps/",
        f"{base}/tipps/?seite=2",
        f"{base}/thema/steuern/",
        f"{base}/thema/bitcoin/",
        f"{base}/feeds/rss/",
        f"{base}/feeds/atom/",
        f"{base}/feeds/tipps/rss/",
        f"{base}/feeds/thema/steuern/rss/",
        f"{base}/sitemap.xml",
        f"{base}/sitemap-news.xml",
        f"{base}/autor/anna-beispiel/",
    }
    assert expected <= set(purged), expected - set(purged)

    purged.clear()
    article.unpublish()
    assert {f"{base}{article.url}", f"{base}/", f"{base}/tipps/", f"{base}/thema/steuern/"} <= set(
        purged
    )


def test_purges_run_ahead_of_the_worker_s_other_tasks(purged, settings, article_factory):
    """After an import the worker may have a long queue; the home page must not wait."""
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    article = article_factory(section="tipps", tags=["Steuern"])
    queued = {}
    for result in backend.results:
        queued.setdefault(result.task.name, []).append(result)
    purges = queued["purge_urls_from_cache_task"]
    first = max(purges, key=lambda result: result.task.priority)
    assert (
        "http://testserver/" in first.args[0] and f"http://testserver{article.url}" in first.args[0]
    )
    others = [
        r.task.priority
        for name, results in queued.items()
        for r in results
        if name != "purge_urls_from_cache_task"
    ]
    assert others and first.task.priority > max(others)


def test_nginx_backend_purges_each_reader_host_and_ignores_misses(monkeypatch, caplog):
    from urllib.error import HTTPError

    sent = []

    def fake_urlopen(request, timeout):
        sent.append((request.get_method(), request.full_url, request.headers["Host"]))
        if "fehlt" in request.full_url:
            raise HTTPError(request.full_url, 412, "Precondition Failed", {}, None)

        class Done:
            def close(self):
                pass

        return Done()

    monkeypatch.setattr("kryptowelt.caching.purge.urlopen", fake_urlopen)
    backend = NginxPurgeBackend(
        {"LOCATION": "http://127.0.0.1:8080/__purge", "HOSTS": ["www.example.de", "*"]}
    )
    backend.purge("https://www.example.de/neuigkeiten/?seite=2")
    backend.purge("https://www.example.de/fehlt/")
    assert sent[0] == (
        "PURGE",
        "http://127.0.0.1:8080/__purge/neuigkeiten/?seite=2",
        "www.example.de",
    )
    assert len(sent) == 2
    assert "fehlgeschlagen" not in caplog.text


def test_article_fragments_are_cached_until_publish_and_never_in_previews(
    client, article_factory, settings
):
    from kryptowelt.news.models import ArticlePage

    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 600
    article = article_factory(title="Alter Titel", body="Alter Text im Artikel.")
    assert "Alter Text im Artikel." in client.get(article.url).content.decode()

    # A change that bypasses publishing is not seen until the next publish …
    ArticlePage.objects.filter(pk=article.pk).update(teaser="Stiller neuer Vorspann")
    assert "Stiller neuer Vorspann" not in client.get(article.url).content.decode()

    # … a published revision is seen at once.
    article.refresh_from_db()
    article.title = "Neuer Titel nach Veröffentlichung"
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "Neuer Titel nach Veröffentlichung" in html and "Stiller neuer Vorspann" in html

    # Editors' previews always render the draft, never a cached fragment.
    article.title = "Entwurfstitel nur in der Vorschau"
    preview = article.make_preview_request()
    assert "Entwurfstitel nur in der Vorschau" in preview.content.decode()
