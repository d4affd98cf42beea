"""A site made before the house was rebuilt keeps all its content and every URL.

The test migrates the database back to the schema of that time (home page and sections in
`core`, no pages for /kurse/, /vergleich/, /rechner/, /thema/, /autor/), writes a small
site with the models of that time, migrates forward again, and reads the site through the
client. (By hand, the same was done with a database from that version's `kryptowelt demo`:
all 462 URLs a crawl found answered 200 after migrating; see the closing note of the issue.)
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kryptowelt.core.migration_operations import child_page_add

# serialized_rollback: the rows the data migrations wrote (root page, groups, content types)
# come back for the tests after this one, as after the other transactional tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [
    ("home", None),
    ("calculators", None),
    ("core", "0003_alter_standardpage_body"),
    ("news", "0003_articlepage_glossary_links"),
    ("markets", "0002_logo_backoff_and_hosts"),
    ("comparisons", "0002_mica_register_and_figure_dates"),
    ("glossary", "0002_alter_lexicontermpage_body"),
    ("guides", "0002_alter_chapterpage_body"),
]


def _old_site(apps):
    """Home, a section with an article, a legal page, written with the old models."""
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    root = Page.objects.get(depth=1)
    home = child_page_add(
        apps,
        parent=root,
        app_label="core",
        model_name="HomePage",
        values={"title": "Alte Startseite", "slug": "alt-start", "intro": "Von früher"},
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "port": 80, "root_page": home}
    )
    section = child_page_add(
        apps,
        parent=home,
        app_label="core",
        model_name="SectionPage",
        values={"title": "Neuigkeiten", "slug": "neuigkeiten", "intro": "Was passiert"},
    )
    article = child_page_add(
        apps,
        parent=section,
        app_label="news",
        model_name="ArticlePage",
        values={
            "title": "Ein Artikel von vorher",
            "slug": "ein-artikel-von-vorher",
            "teaser": "Er muss den Umzug überstehen.",
            "body": [{"type": "paragraph", "value": "<p>Alter Text über Bitcoin.</p>"}],
        },
    )
    Author = apps.get_model("news", "Author")
    ArticleAuthor = apps.get_model("news", "ArticleAuthor")
    author = Author.objects.create(name="Olga Vorher", slug="olga-vorher")
    ArticleAuthor.objects.create(page_id=article.pk, author=author, sort_order=0)
    child_page_add(
        apps,
        parent=home,
        app_label="core",
        model_name="StandardPage",
        values={"title": "Impressum", "slug": "impressum", "body": []},
    )
    return home.pk, section.pk, article.pk


def test_a_site_from_before_keeps_its_content_and_urls(client):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(
        [target for target in BEFORE if target[1] is not None]
    )
    home_pk, section_pk, article_pk = _old_site(old.apps)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from kryptowelt.home.models import HomePage
    from kryptowelt.news.models import ArticlePage, SectionPage

    home = HomePage.objects.get(pk=home_pk)
    assert home.intro == "Von früher"
    assert SectionPage.objects.get(pk=section_pk).get_parent().pk == home_pk
    article = ArticlePage.objects.get(pk=article_pk)
    assert article.teaser == "Er muss den Umzug überstehen."
    assert article.first_published_at <= timezone.now()

    urls = {
        "/": "Von früher",
        "/neuigkeiten/": "Ein Artikel von vorher",
        "/neuigkeiten/ein-artikel-von-vorher/": "Alter Text über Bitcoin.",
        "/impressum/": "Impressum",
        "/kurse/": "Kurse",
        "/vergleich/": "Krypto-Anbieter im Vergleich",
        "/rechner/": "Rechner",
        "/autor/olga-vorher/": "Olga Vorher",
    }
    for url, text in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    nav = client.get("/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    for label in ("Neuigkeiten", "Kurse", "Vergleiche", "Rechner"):
        assert f">{label}</a>" in nav, label
