import pytest

from kryptowelt.related.selectors import article_related_list

pytestmark = pytest.mark.django_db


def test_related_prefers_shared_tags_and_never_includes_itself(article_factory):
    article = article_factory(title="Bitcoin-ETF startet", tags=["Bitcoin", "ETF"])
    close = article_factory(title="ETF-Zuflüsse verstehen", tags=["Bitcoin", "ETF"])
    medium = article_factory(title="Was ist Bitcoin", tags=["Bitcoin"])
    far = [article_factory(title=f"Wallet-Thema {i}", tags=["Wallets"]) for i in range(6)]
    related = article_related_list(article=article, limit=6)
    assert article not in related
    assert related[:2] == [close, medium]
    assert len(related) == 6
    assert set(related[2:]) <= set(far)


def test_related_only_lists_published_articles(article_factory):
    article = article_factory(tags=["Bitcoin"])
    hidden = article_factory(tags=["Bitcoin"])
    hidden.unpublish()
    assert hidden not in article_related_list(article=article)


def test_related_block_on_article_page(client, article_factory):
    article = article_factory(tags=["Bitcoin"])
    other = article_factory(tags=["Bitcoin"], title="Noch ein Bitcoin-Artikel")
    html = client.get(article.url).content.decode()
    related = html.split('id="weitere-artikel"')[1]
    assert "Weitere interessante Artikel" in html
    assert other.title in related
