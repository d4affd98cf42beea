import re
from io import StringIO

import pytest
from django.core.management import call_command

from kryptowelt.news.models import ArticlePage, Author, SectionPage

# serialized_rollback: other transactional tests may run first and flush the rows the data
# migrations created (root page, groups); this puts them back before the test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_demo_loads_original_content_idempotently_and_prints_login(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("demo", stdout=out)
    articles = ArticlePage.objects.live()
    assert articles.count() >= 40
    assert {s.slug for s in SectionPage.objects.all()} == {
        "neuigkeiten",
        "trends",
        "tipps",
        "wissen",
    }
    for section in SectionPage.objects.all():
        assert articles.child_of(section).count() >= 5, section.slug
    assert Author.objects.count() >= 4
    assert all(article.hero_image and article.hero_image.description for article in articles)
    words = sorted(len(article.plain_text.split()) for article in articles)
    assert words[0] >= 250 and words[-1] <= 1700
    text = out.getvalue()
    assert "Benutzername „admin“" in text
    password = text.split("Benutzername „admin“, Passwort „")[1].split("“")[0]
    assert client.login(username="admin", password=password)

    count = articles.count()
    second = StringIO()
    call_command("demo", stdout=second)
    assert ArticlePage.objects.count() == count
    assert f"Passwort „{password}“" in second.getvalue()

    client.logout()
    home = client.get("/")
    assert home.status_code == 200
    article = articles.first()
    page = client.get(article.url)
    assert page.status_code == 200
    assert "Weitere interessante Artikel" in page.content.decode()
    # Verstehe: the articles link their terms to a lexicon of 80+ entries; a guide reads.
    from kryptowelt.glossary.models import LexiconTermPage

    assert LexiconTermPage.objects.live().count() >= 80
    assert 'class="term__link" href="/lexikon/' in page.content.decode()
    assert client.get("/ratgeber/krypto-fuer-einsteiger/was-ist-bitcoin/").status_code == 200
    assert client.get("/suche/", {"q": "Börse"}).context["result_count"] > 0
    # The article on costs holds a comparison table and a provider box, loaded once.
    costs = ArticlePage.objects.get(slug="kosten-vergleichen-was-wir-rechnen")
    assert [b.block_type for b in costs.body].count("comparison_table") == 1
    assert [b.block_type for b in costs.body].count("provider_box") == 1
    html = client.get(costs.url).content.decode()
    assert "Börsen, sortiert nach Kosten für 500 Euro" in html
    assert "/vergleich/anbieter/bitvavo/" in html
    # Every pillar is in the main menu, in the demo's order.
    nav = client.get("/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    labels = re.findall(r">([^<]+)</a></li>", nav)
    assert labels == [
        "Neuigkeiten",
        "Trends",
        "Tipps",
        "Wissen",
        "Kurse",
        "Vergleiche",
        "Rechner",
        "Lexikon",
        "Ratgeber",
    ]
