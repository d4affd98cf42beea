import json

import pytest
from django.core.management import CommandError, call_command

from kryptowelt.news import importers
from kryptowelt.news.models import ArticlePage, Author, SectionPage, Topic
from kryptowelt.news.services import article_create, author_get_or_create

pytestmark = pytest.mark.django_db

GOOD = {
    "title": "Bitcoin-Halving erklärt",
    "teaser": "Was beim Halving passiert.",
    "body": "Einleitung.\n\n## Was ist das Halving?\n\nDie Belohnung halbiert sich.\n\n## Folgen\n\nText.",
    "section": "wissen",
    "tags": ["Bitcoin", "Halving"],
    "published_at": "2026-11-20T09:30:00+01:00",
    "author": "Markus Brandt",
}


def write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows), "utf-8")
    return path


def run_import(path):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", str(path), stdout=out, stderr=err, verbosity=0)
        failed = None
    except CommandError as exc:
        failed = exc
    return out.getvalue(), err.getvalue(), failed


def test_import_jsonl_creates_published_articles_with_headings(home, tmp_path, client):
    path = write_jsonl(tmp_path / "a.jsonl", [GOOD])
    out, err, failed = run_import(path)
    assert failed is None, err
    article = ArticlePage.objects.get(title=GOOD["title"])
    assert article.live
    assert article.get_parent().slug == "wissen"
    assert article.first_published_at.isoformat().startswith("2026-11-20T08:30")
    assert {t.name for t in article.tags.all()} == {"Bitcoin", "Halving"}
    assert [a.name for a in article.authors] == ["Markus Brandt"]
    headings = [b.value["text"] for b in article.body if b.block_type == "heading"]
    assert headings == ["Was ist das Halving?", "Folgen"]
    html = client.get(article.url).content.decode()
    assert "<h2" in html and "Was ist das Halving?" in html
    assert "1 Artikel importiert" in out


def test_import_twice_creates_no_duplicates(home, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [GOOD])
    run_import(path)
    out, _, failed = run_import(path)
    assert failed is None
    assert ArticlePage.objects.filter(title=GOOD["title"]).count() == 1
    assert Author.objects.filter(name="Markus Brandt").count() == 1
    assert "existiert bereits" in out


def test_bad_rows_are_reported_with_line_numbers_and_skipped(home, tmp_path):
    rows = [
        GOOD,
        {**GOOD, "title": ""},
        "{kaputt",
        {**GOOD, "title": "Andere Rubrik", "section": "sport"},
        {**GOOD, "title": "Falsches Datum", "published_at": "gestern"},
        {**GOOD, "title": "Tags kein Array", "tags": 5},
        {**GOOD, "title": "Gutes zweites", "slug": "gutes-zweites"},
        "[1, 2]",
    ]
    path = write_jsonl(tmp_path / "mixed.jsonl", rows)
    out, err, failed = run_import(path)
    assert isinstance(failed, CommandError)
    assert "Zeile 2: Pflichtfeld fehlt: „title“" in err
    assert "Zeile 3: kein gültiges JSON" in err
    assert "Zeile 4: Rubrik „sport“ gibt es nicht" in err
    assert "Zeile 5: „published_at“ „gestern“ ist kein Datum" in err
    assert "Zeile 6: „tags“ muss eine Liste von Texten sein" in err
    assert "Zeile 8: jede Zeile muss ein JSON-Objekt sein" in err
    assert set(ArticlePage.objects.values_list("title", flat=True)) == {
        GOOD["title"],
        "Gutes zweites",
    }


def test_import_csv_with_same_columns_and_windows_1252(home, tmp_path):
    text = (
        "title,teaser,body,section,tags,published_at,author\n"
        '"Börsen für Einsteiger","Worauf es ankommt.","## Gebühren\n\nSpread und Maker/Taker.",'
        'tipps,"Börsen, Gebühren",2026-11-01,Aylin Demir\n'
        '"","leer","x",tipps,,2026-11-01,Aylin Demir\n'
    )
    path = tmp_path / "a.csv"
    path.write_bytes(text.encode("cp1252"))
    out, err, failed = run_import(path)
    article = ArticlePage.objects.get(title="Börsen für Einsteiger")
    assert {t.name for t in article.tags.all()} == {"Börsen", "Gebühren"}
    assert article.slug == "boersen-fuer-einsteiger"
    assert "Zeile 5: Pflichtfeld fehlt: „title“" in err  # the multi-line row ends on line 4
    assert isinstance(failed, CommandError)


def test_csv_missing_columns_is_a_clear_file_error(home, tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("title,body\nA,B\n", "utf-8")
    _, _, failed = run_import(path)
    assert "fehlen die Spalten" in str(failed)
    assert not ArticlePage.objects.exists()


def test_missing_file_is_a_clear_error(home, tmp_path):
    _, _, failed = run_import(tmp_path / "nope.jsonl")
    assert "Datei nicht gefunden" in str(failed)


def test_import_sanitises_html_and_scripts(home, tmp_path, client):
    row = {
        **GOOD,
        "title": "Gefährliches HTML",
        "body": "Text <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))",
    }
    run_import(write_jsonl(tmp_path / "x.jsonl", [row]))
    html = client.get(ArticlePage.objects.get(title="Gefährliches HTML").url).content.decode()
    body = html.split('class="article__body')[1].split("</article>")[0]
    assert "<script" not in body and "onerror" not in body and "javascript:" not in body


def test_future_published_at_schedules_the_article(home, tmp_path):
    row = {**GOOD, "title": "Kommt später", "published_at": "2099-01-01T10:00:00+01:00"}
    run_import(write_jsonl(tmp_path / "f.jsonl", [row]))
    article = ArticlePage.objects.get(title="Kommt später")
    assert not article.live
    assert article.go_live_at.year == 2099


def test_a_long_csv_body_imports_and_leaves_the_process_wide_csv_limit_alone(home, tmp_path):
    """The csv module's field limit is one number per process: the importer may raise it only
    while it reads, or every other reader in the process (the tax calculator) would accept
    fields it must refuse."""
    import csv

    before = csv.field_size_limit()
    body = "Ein langer Absatz über Bitcoin. " * 6000  # ~190 000 characters, over the default
    path = tmp_path / "lang.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "teaser", "body", "section", "published_at", "author"])
        writer.writerow(
            ["Ein sehr langer Text", "Kurz.", body, "wissen", "2025-01-02T10:00:00+01:00", "A B"]
        )
    call_command("import_articles", str(path), verbosity=0)
    assert ArticlePage.objects.get(title="Ein sehr langer Text").plain_text.count("Bitcoin") > 5000
    assert csv.field_size_limit() == before == 131_072


def test_a_second_import_of_the_same_file_running_at_once_skips_and_goes_on(
    home, tmp_path, monkeypatch
):
    """Two `import_articles` runs of one file: the other run writes an article between this
    run's check and its write. This run reports it as existing and imports the rest."""
    second = {**GOOD, "title": "Zweiter Artikel derselben Datei"}
    path = write_jsonl(tmp_path / "gleichzeitig.jsonl", [GOOD, second])
    real_blocks = importers.markdown_to_blocks
    raced = []

    def the_other_run_is_faster(text):
        if not raced:  # the first row: the other process commits it right now
            raced.append(True)
            section = SectionPage.objects.get(slug=GOOD["section"])
            article_create(
                section=section,
                title=GOOD["title"],
                teaser=GOOD["teaser"],
                body=real_blocks(GOOD["body"]),
                authors=[author_get_or_create(name=GOOD["author"])],
                slug="bitcoin-halving-erklaert",
            )
        return real_blocks(text)

    monkeypatch.setattr(importers, "markdown_to_blocks", the_other_run_is_faster)
    out, err, failed = run_import(path)

    assert failed is None, err
    assert "Zeile 1: „Bitcoin-Halving erklärt“ existiert bereits" in out
    assert "gleichzeitig laufenden Import" in out
    assert ArticlePage.objects.filter(title=GOOD["title"]).count() == 1
    assert ArticlePage.objects.filter(title=second["title"]).exists()
    assert "1 Artikel importiert, 1 übersprungen" in out


def test_tags_without_a_letter_or_digit_become_no_topic(home, tmp_path):
    row = {**GOOD, "tags": ["C++", "Web3", "🚀", "...", "\u200b\u200d", "Bitcoin\u200b", "#"]}
    out, err, failed = run_import(write_jsonl(tmp_path / "tags.jsonl", [row]))
    assert failed is None, err
    article = ArticlePage.objects.get(title=GOOD["title"])
    assert sorted(tag.name for tag in article.tags.all()) == ["Bitcoin", "C++", "Web3"]
    assert not Topic.objects.filter(name__in=["🚀", "...", "#"]).exists()
    assert "Zeile 1: Schlagwort „🚀“ nicht übernommen" in out
    assert "Schlagwort „#“ nicht übernommen" in out
    assert "mindestens einen Buchstaben oder eine Ziffer" in out
