"""Comparison blocks in articles: a table by kind and filter, and a single provider box."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from kryptowelt.comparisons.factories import figure, provider_make
from kryptowelt.news.models import ArticlePage, Author

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(db):
    alpha = provider_make(
        name="Alpha",
        slug="alpha",
        affiliate_url="https://alpha.example/?ref=kw",
        figures=[
            figure("taker_pct", "0.2"),
            figure("fixed_eur", 0),
            figure("deposit_sepa", 0, eur=0),
            figure("mica", True, text="AFM (Niederlande)"),
        ],
    )
    beta = provider_make(name="Beta", slug="beta", figures=[figure("mica", False)])
    return alpha, beta


def test_editor_adds_comparison_blocks_to_an_article(client, django_user_model, home, providers):
    alpha, _beta = providers
    user = django_user_model.objects.create_superuser("chefin", "chefin@example.com", "pw")
    client.force_login(user)
    author = Author.objects.create(name="Lena Hoffmann", slug="lena-hoffmann")
    from kryptowelt.news.models import SectionPage

    section = SectionPage.objects.get(slug="tipps")
    data = nested_form_data(
        {
            "title": "Wo Bitcoin günstig kaufen?",
            "slug": "wo-bitcoin-guenstig-kaufen",
            "teaser": "Ein Überblick.",
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>Die Kosten unterscheiden sich.</p>")),
                    (
                        "comparison_table",
                        {
                            "heading": "Börsen mit MiCA-Zulassung",
                            "kind": "krypto-boersen",
                            "only_eu": "on",
                            "only_sparplan": "",
                            "only_sepa": "",
                            "only_staking": "",
                            "min_coins": "",
                            "sort": "kosten",
                            "limit": "5",
                        },
                    ),
                    ("provider_box", {"provider": str(alpha.pk), "heading": ""}),
                ]
            ),
            "article_authors": inline_formset([{"author": str(author.pk)}], min=1),
            "related_pins": inline_formset([]),
            "glossary_links": "on",
            "tags": "Börsen",
            "hero_caption": "",
            "updated_at": "",
            "seo_title": "",
            "search_description": "",
        }
    )
    add = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    response = client.post(add, {**data, "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(slug="wo-bitcoin-guenstig-kaufen")

    client.logout()
    html = client.get(article.url).content.decode()
    table = html[html.index("Börsen mit MiCA-Zulassung") :]
    assert "/vergleich/anbieter/alpha/" in table
    assert "/vergleich/anbieter/beta/" not in table.split("cmp-block__foot")[0]  # no MiCA
    assert "Stand der Angaben" in table
    assert "1,00\u00a0€" in table  # 0,2 % of the 500 € reference order
    box = html[html.index('class="cmp-box"') :]
    assert "Alpha" in box and "AFM (Niederlande)" in box
    assert 'rel="sponsored noopener"' in box and "Anzeige" in box
    assert "Keine Anlageberatung" in html


def test_provider_box_of_an_unpublished_provider_renders_nothing(home, article_factory):
    draft = provider_make(name="Versteckt", slug="versteckt", publish=False)
    article = article_factory(section="wissen", title="Artikel mit Box")
    article.body = [
        {"type": "paragraph", "value": "<p>Text</p>"},
        {"type": "provider_box", "value": {"provider": draft.pk, "heading": ""}},
    ]
    article.save_revision().publish()
    from django.test import Client

    html = Client().get(article.url).content.decode()
    assert "Versteckt" not in html
    assert "Text" in html
