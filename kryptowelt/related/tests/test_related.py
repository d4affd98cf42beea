"""The site side: stored lists, tasks on publish/unpublish/delete, pins, rendering, commands."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from kryptowelt.news.factories import section_get
from kryptowelt.news.models import ArticlePage, Author
from kryptowelt.related import services
from kryptowelt.related.models import RelatedArticle, RelatedIndexState, RelatedPin
from kryptowelt.related.selectors import article_related_list

pytestmark = pytest.mark.django_db

ETF = (
    "Spot-ETFs auf Bitcoin ziehen Milliarden an. BlackRock und Fidelity melden Zuflüsse; "
    "die SEC hatte die Fonds genehmigt. Anleger kaufen Anteile über die Börse."
)
STEUER = (
    "Gewinne aus Kryptowerten sind nach einem Jahr Haltefrist steuerfrei. Innerhalb der Frist "
    "gilt eine Freigrenze; das Finanzamt verlangt Belege für Kauf und Verkauf."
)
WALLET = (
    "Die Seed-Phrase gehört auf Papier. Eine Hardware-Wallet speichert private Schlüssel "
    "offline und signiert Transaktionen am Gerät; eine PIN schützt vor fremdem Zugriff."
)


@pytest.fixture(autouse=True)
def _fresh_engine():
    services.related_engine_reset()
    yield
    services.related_engine_reset()


@pytest.fixture
def published(article_factory, django_capture_on_commit_callbacks):
    """Create articles with the publish task running, as the worker would."""

    def make(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return article_factory(**kwargs)

    return make


@pytest.fixture
def newsroom(published):
    return {
        "etf": published(title="Bitcoin-ETFs: Rekordzuflüsse", body=ETF, tags=["Bitcoin", "ETF"]),
        "etf2": published(
            title="Was Spot-ETFs für Anleger bedeuten",
            body=(
                "Ein Spot-ETF bildet den Bitcoin-Kurs ab, ohne dass Anleger Bitcoin selbst "
                "verwahren. BlackRock, Fidelity und andere Emittenten kaufen die Coins; die "
                "SEC hat die Fonds zugelassen. Die Gebühren sind gering."
            ),
            tags=["ETF"],
            section="wissen",
        ),
        "steuer": published(title="Krypto-Steuern kurz erklärt", body=STEUER, tags=["Steuern"]),
        "wallet": published(
            title="Hardware-Wallet einrichten", body=WALLET, tags=["Sicherheit"], section="tipps"
        ),
    }


def stored(article) -> list[int]:
    return list(
        RelatedArticle.objects.filter(article=article)
        .order_by("rank")
        .values_list("related_id", flat=True)
    )


def related_titles(html: str) -> list[str]:
    """The titles of the cards in the page's „Weitere interessante Artikel“ block."""
    block = html.split('id="weitere-artikel"')[1]
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', block)


def article_form(*, title: str, slug: str, teaser: str, pinned, **extra) -> dict:
    """The admin's form data for a new article about ETFs, tagged „ETF“, with one pin."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "teaser": teaser,
            "body": streamfield([("paragraph", rich_text(f"<p>{ETF}</p>"))]),
            "article_authors": inline_formset([{"author": str(Author.objects.first().pk)}]),
            "related_pins": inline_formset([{"related": str(pinned.pk)}]),
            "tags": "ETF",
            "hero_caption": "",
            "updated_at": "",
            "seo_title": "",
            "search_description": "",
            **extra,
        }
    )


def test_publishing_stores_lists_for_the_new_article_and_its_neighbours(newsroom):
    etf, etf2 = newsroom["etf"], newsroom["etf2"]
    assert stored(etf)[0] == etf2.pk
    assert stored(etf2)[0] == etf.pk
    assert etf.pk not in stored(etf)
    assert len(stored(newsroom["wallet"])) == 3  # every other article, best first


def test_article_page_shows_the_engines_choice(client, newsroom):
    html = client.get(newsroom["etf"].url).content.decode()
    titles = related_titles(html)
    assert titles[0] == "Was Spot-ETFs für Anleger bedeuten"
    assert "Bitcoin-ETFs: Rekordzuflüsse" not in titles
    assert "Wissen" in html.split('id="weitere-artikel"')[1]  # the recommended one's section


def test_rendering_the_stored_list_costs_two_queries(newsroom, django_assert_num_queries):
    article = ArticlePage.objects.get(pk=newsroom["etf"].pk)
    # The stored list with its articles (one indexed query), then the cards' sections.
    with django_assert_num_queries(2):
        related = article_related_list(article=article, limit=6)
        assert [item.title for item in related][:1] == ["Was Spot-ETFs für Anleger bedeuten"]
        assert related[0].section.title == "Wissen"


def test_unpublishing_removes_the_article_from_other_lists(
    newsroom, django_capture_on_commit_callbacks
):
    etf2 = newsroom["etf2"]
    with django_capture_on_commit_callbacks(execute=True):
        etf2.unpublish()
    assert etf2.pk not in stored(newsroom["etf"])
    assert stored(etf2) == []
    assert etf2.pk not in [a.pk for a in article_related_list(article=newsroom["etf"])]


def test_republishing_a_change_moves_the_article(newsroom, django_capture_on_commit_callbacks):
    etf, etf2, wallet = newsroom["etf"], newsroom["etf2"], newsroom["wallet"]
    # Before: the wallet article is the ETF articles' last choice, and its own list does
    # not start with them.
    assert stored(etf)[-1] == wallet.pk and stored(etf2)[-1] == wallet.pk
    assert stored(wallet)[0] not in {etf.pk, etf2.pk}
    wallet.title = "Bitcoin-ETF oder Hardware-Wallet?"
    wallet.teaser = "Spot-ETFs von BlackRock und Fidelity gegen eigene Verwahrung."
    with django_capture_on_commit_callbacks(execute=True):
        wallet.save_revision().publish()
    # After: it moved up in the ETF articles' lists, and they lead its own list.
    assert wallet.pk in stored(etf)[:2] and wallet.pk in stored(etf2)[:2]
    assert set(stored(wallet)[:2]) == {etf.pk, etf2.pk}


def test_deleting_an_article_removes_it_everywhere(newsroom, django_capture_on_commit_callbacks):
    etf2_pk = newsroom["etf2"].pk
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=etf2_pk).delete()
    assert not RelatedArticle.objects.filter(related_id=etf2_pk).exists()
    assert len(stored(newsroom["etf"])) == 2


def test_private_articles_are_not_recommended(newsroom, django_capture_on_commit_callbacks):
    etf2 = newsroom["etf2"]
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=etf2, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
    assert etf2.pk not in stored(newsroom["etf"])


def test_pinned_articles_come_first(newsroom, django_capture_on_commit_callbacks):
    etf, wallet, steuer = newsroom["etf"], newsroom["wallet"], newsroom["steuer"]
    etf.related_pins.add(RelatedPin(related=wallet, sort_order=0))
    etf.related_pins.add(RelatedPin(related=steuer, sort_order=1))
    etf.related_pins.add(RelatedPin(related=etf, sort_order=2))  # itself: ignored
    with django_capture_on_commit_callbacks(execute=True):
        etf.save_revision().publish()
    assert stored(etf) == [wallet.pk, steuer.pk, newsroom["etf2"].pk]
    assert RelatedArticle.objects.filter(article=etf, pinned=True).count() == 2
    related = article_related_list(article=ArticlePage.objects.get(pk=etf.pk), limit=2)
    assert [a.pk for a in related] == [wallet.pk, steuer.pk]


def test_unpublished_pins_are_skipped(newsroom, django_capture_on_commit_callbacks):
    etf, steuer = newsroom["etf"], newsroom["steuer"]
    etf.related_pins.add(RelatedPin(related=steuer, sort_order=0))
    with django_capture_on_commit_callbacks(execute=True):
        etf.save_revision().publish()
        steuer.unpublish()
    assert steuer.pk not in stored(etf)


def test_publishing_enqueues_the_list_and_the_task_stores_it(
    client, published, article_factory, django_capture_on_commit_callbacks
):
    etf = published(title="Bitcoin-ETFs: Rekordzuflüsse", body=ETF, tags=["ETF"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        other = article_factory(title="Spot-ETFs erklärt", body=ETF + " Mehr dazu.", tags=["ETF"])
    # Nothing is computed before the publishing transaction commits …
    assert stored(other) == [] and stored(etf) == []
    # … then the enqueued task (run inline in tests, by the worker in production) stores
    # the new article's list and updates its neighbour's.
    for callback in callbacks:
        callback()
    assert stored(other) == [etf.pk]
    assert stored(etf) == [other.pk]
    assert "Bitcoin-ETFs: Rekordzuflüsse" in client.get(other.url).content.decode()


def test_reading_without_a_stored_list_writes_and_enqueues_nothing(
    article_factory, django_capture_on_commit_callbacks
):
    # Published without running the on-commit task, as in the moments before the worker
    # ran: no list is stored yet.
    etf = article_factory(title="Bitcoin-ETFs: Rekordzuflüsse", body=ETF, tags=["ETF"])
    other = article_factory(title="Spot-ETFs erklärt", body=ETF, tags=["ETF"], section="wissen")
    steuer = article_factory(title="Steuern", body=STEUER, tags=["Steuern"], section="tipps")
    article = ArticlePage.objects.get(pk=etf.pk)
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks() as callbacks,
    ):
        related = article_related_list(article=article)
    # The first version's scoring answers: the shared tag puts the other ETF article first.
    assert [a.pk for a in related] == [other.pk, steuer.pk]
    assert related[0].section.title == "Wissen"
    statements = [query["sql"].lstrip().split()[0].upper() for query in queries.captured_queries]
    assert set(statements) == {"SELECT"}
    assert callbacks == []  # no task enqueued
    assert not RelatedArticle.objects.exists()
    assert not RelatedIndexState.objects.exists()  # the engine was not built


def test_article_page_without_a_stored_list_shows_the_first_versions_choice(
    client, article_factory
):
    etf = article_factory(title="Bitcoin-ETFs: Rekordzuflüsse", body=ETF, tags=["ETF"])
    article_factory(title="Spot-ETFs erklärt", body=ETF, tags=["ETF"])
    html = client.get(etf.url).content.decode()
    assert "Spot-ETFs erklärt" in html.split('id="weitere-artikel"')[1]
    assert not RelatedArticle.objects.exists()


def test_preview_of_a_draft_shows_pins_and_related_articles_without_writing(
    admin_client_factory, newsroom
):
    section = section_get("neuigkeiten")
    url = reverse("wagtailadmin_pages:preview_on_add", args=("news", "articlepage", section.pk))
    data = article_form(
        title="Neue ETF-Zuflüsse",
        slug="neue-etf-zufluesse",
        teaser="Spot-ETFs und BlackRock.",
        pinned=newsroom["wallet"],
    )
    assert admin_client_factory.post(url, data).json()["is_valid"]
    rows = RelatedArticle.objects.count()
    titles = related_titles(admin_client_factory.get(url).content.decode())
    # The editor's pin first, then the articles sharing the tag "ETF".
    assert titles[0] == "Hardware-Wallet einrichten"
    assert set(titles[1:3]) == {
        "Bitcoin-ETFs: Rekordzuflüsse",
        "Was Spot-ETFs für Anleger bedeuten",
    }
    assert RelatedArticle.objects.count() == rows
    assert not ArticlePage.objects.filter(slug="neue-etf-zufluesse").exists()


def test_preview_of_a_saved_draft_gets_related_articles(newsroom):
    draft = ArticlePage(
        title="Neue ETF-Zuflüsse", slug="entwurf", teaser="Spot-ETFs und BlackRock.", body=[]
    )
    section_get("neuigkeiten").add_child(instance=draft)
    draft.unpublish()
    related = article_related_list(article=ArticlePage.objects.get(pk=draft.pk))
    assert related[0].pk in {newsroom["etf"].pk, newsroom["etf2"].pk}


@pytest.fixture
def admin_client_factory(client, django_user_model):
    user = django_user_model.objects.create_superuser("chefin", "chefin@example.com", "pw")
    client.force_login(user)
    return client


def test_admin_offers_pinning(admin_client_factory, newsroom):
    response = admin_client_factory.get(f"/admin/pages/{newsroom['etf'].pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Weitere interessante Artikel (von Hand, erscheinen zuerst)" in html
    assert "related_pins-TOTAL_FORMS" in html


def test_related_rebuild_recomputes_every_list(article_factory, capsys):
    articles = [
        article_factory(title="Bitcoin-ETFs: Rekordzuflüsse", body=ETF),
        article_factory(title="Spot-ETFs erklärt", body=ETF + " Mehr dazu."),
        article_factory(title="Steuern", body=STEUER),
    ]
    assert not RelatedArticle.objects.exists()
    call_command("related_rebuild")
    out = capsys.readouterr()
    assert "3 Artikel neu berechnet, 6 Empfehlungen gespeichert." in out.out
    assert "Listen" not in out.err  # no progress bar: stderr is no terminal here
    assert stored(articles[0]) == [articles[1].pk, articles[2].pk]
    # A stale row of an article that is no longer published disappears.
    articles[2].unpublish()
    call_command("related_rebuild", verbosity=0)
    assert not RelatedArticle.objects.filter(article=articles[2]).exists()
    assert stored(articles[0]) == [articles[1].pk]


def test_editor_pins_an_article_in_the_admin(
    admin_client_factory, newsroom, django_capture_on_commit_callbacks
):
    wallet = newsroom["wallet"]
    data = article_form(
        title="Bitcoin-ETFs im Depot",
        slug="bitcoin-etfs-im-depot",
        teaser="Spot-ETFs von BlackRock und Fidelity im Vergleich.",
        pinned=wallet,
        **{"action-publish": "publish"},
    )
    section = section_get("neuigkeiten")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_factory.post(
            f"/admin/pages/add/news/articlepage/{section.pk}/", data
        )
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="bitcoin-etfs-im-depot")
    assert stored(article)[0] == wallet.pk
    assert set(stored(article)[1:3]) == {newsroom["etf"].pk, newsroom["etf2"].pk}


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Bitcoin", ""),
        ("2024: 97,4 %", "12 345 67,8 0,01 " * 50),
        ("Bitcoin ETF inflows hit a record", "BlackRock and Fidelity report inflows."),
        ("Sehr langer Artikel", "Die Blockchain speichert Transaktionen dauerhaft. " * 20_000),
    ],
)
def test_odd_articles_publish_and_render(client, newsroom, published, title, body):
    article = published(title=title, body=body, teaser="Kurz.")
    response = client.get(article.url)
    assert response.status_code == 200
    assert len(stored(article)) == 4  # every other article
    assert article.pk not in stored(article)


def test_the_list_is_read_only_when_the_cached_fragment_is_not_served(client, newsroom, settings):
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 600
    url = newsroom["etf"].url

    def related_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert "Was Spot-ETFs für Anleger bedeuten" in html.split('id="weitere-artikel"')[1]
        return sum("related_relatedarticle" in query["sql"] for query in queries)

    assert related_queries() == 1  # rendered: the stored list is read
    assert related_queries() == 0  # the cached fragment already holds it


def test_news_does_not_import_related():
    # Related sits above news: the article template gets the list through {% related_articles %}.
    news = Path(__file__).resolve().parents[2] / "news"
    imports = re.compile(r"^\s*(?:from|import)\s+kryptowelt\.related\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(news))
        for path in news.rglob("*.py")
        if imports.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
