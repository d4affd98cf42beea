"""The kind of page the portal was designed from: site name and tagline, headline, lead,
subheadings, a quote, and "Weitere interessante Artikel" at the end.

fixtures/seed-shaped-article.txt is a hand-made, fictional article with exactly that
shape (the real seed page is shared data outside this repository)."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from kryptowelt.news.models import ArticlePage

SEED_SHAPED = Path(__file__).parent / "fixtures" / "seed-shaped-article.txt"

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
        "tags": ["Stablecoins", "Zahlungsverkehr", "Regulierung"],
        "published_at": "2025-02-11T09:00:00+01:00",
        "author": "Sophie Krüger",
    }


def test_seed_article_imports_as_the_designed_page(client, article_factory, tmp_path):
    others = [
        article_factory(
            title="Stablecoins im Zahlungsverkehr: was MiCA verlangt",
            tags=["Stablecoins", "Regulierung"],
        ),
        article_factory(title="Lastschrift oder Wallet?", tags=["Zahlungsverkehr"]),
        article_factory(section="tipps", title="Wallet sichern", tags=["Sicherheit"]),
    ]
    row = seed_to_import_row(SEED_SHAPED.read_text(encoding="utf-8"))
    path = tmp_path / "seed.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    call_command("import_articles", str(path), verbosity=0)

    article = ArticlePage.objects.get(title__startswith="Stadtwerke Musterstadt testen")
    html = client.get(article.url).content.decode()
    assert "Die Welt der Kryptowährungen: Trends, Tipps und Neuigkeiten" in html
    assert "Vergleiche. Verstehe. Gewinne." in html
    body = html.split('class="article__body')[1].split("</article>")[0]
    assert re.findall(r"<h2[^>]*>(.*?)</h2>", body) == [
        "Worum es bei dem Versuch geht",
        "Was Verbraucherschützer kritisieren",
        "Welche Regeln gelten",
        "Wie geht es weiter?",
    ]
    assert "0,30 Euro, die eine Lastschrift" in body
    related = html.split('id="weitere-artikel"')[1]
    assert "Weitere interessante Artikel" in html
    assert others[0].title in related and others[1].title in related
    assert article.title not in related
