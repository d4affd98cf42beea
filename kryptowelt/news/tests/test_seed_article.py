"""The page the portal was designed from: ../shared/fixtures/seed-article.txt."""

import json
import re

import pytest
from django.core.management import call_command

from kryptowelt.news.models import ArticlePage
from kryptowelt.testing import shared_path

pytestmark = pytest.mark.django_db


def seed_to_import_row(text: str) -> dict:
    """Site name, tagline, headline, lead, then paragraphs; a short line without final
    punctuation is a subheading; the closing "Weitere interessante Artikel:" is the site's."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    site_name, tagline, title, lead, *rest = paragraphs
    assert site_name.startswith("Die Welt der Kryptowährungen")
    assert tagline == "Vergleiche. Verstehe. Gewinne."
    body = []
    for paragraph in rest:
        if paragraph.startswith("Weitere interessante Artikel"):
            break
        is_heading = len(paragraph) < 80 and not paragraph.endswith((".", ":", '"'))
        body.append(f"## {paragraph}" if is_heading else paragraph)
    return {
        "title": title,
        "teaser": lead,
        "body": "\n\n".join(body),
        "section": "neuigkeiten",
        "tags": ["OpenAI", "Elon Musk", "KI"],
        "published_at": "2025-02-11T09:00:00+01:00",
        "author": "Sophie Krüger",
    }


def test_seed_article_imports_as_the_designed_page(client, article_factory, tmp_path):
    others = [
        article_factory(title="OpenAI und Microsoft: eine Partnerschaft", tags=["OpenAI", "KI"]),
        article_factory(title="xAI wächst weiter", tags=["KI"]),
        article_factory(section="tipps", title="Wallet sichern", tags=["Sicherheit"]),
    ]
    row = seed_to_import_row(
        shared_path("fixtures", "seed-article.txt").read_text(encoding="utf-8")
    )
    path = tmp_path / "seed.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    call_command("import_articles", str(path), verbosity=0)

    article = ArticlePage.objects.get(title__startswith="Elon Musk bietet 97,4 Milliarden")
    html = client.get(article.url).content.decode()
    assert "Die Welt der Kryptowährungen: Trends, Tipps und Neuigkeiten" in html
    assert "Vergleiche. Verstehe. Gewinne." in html
    body = html.split('class="article__body')[1].split("</article>")[0]
    assert re.findall(r"<h2[^>]*>(.*?)</h2>", body) == [
        "Hintergrund des Angebots",
        "Die Reaktion von OpenAI",
        "Die Konsequenzen für die KI-Branche",
        "Wie geht es weiter?",
    ]
    assert "9,74 Milliarden Dollar" in body
    related = html.split('id="weitere-artikel"')[1]
    assert "Weitere interessante Artikel" in html
    assert others[0].title in related and others[1].title in related
    assert article.title not in related
