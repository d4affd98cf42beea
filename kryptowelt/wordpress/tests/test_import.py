"""`kryptowelt import_wordpress`: what an editor and a reader find after moving a site in
(hand-made export in fixtures/site.wxr.xml)."""

import re

import pytest
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from kryptowelt.core.models import StandardPage
from kryptowelt.news.models import ArticlePage, Author, Topic
from kryptowelt.wordpress import services
from kryptowelt.wordpress.models import WordPressObject
from kryptowelt.wordpress.tests.conftest import FIXTURES, run_import

pytestmark = pytest.mark.django_db


def page_of(wp_id: int, kind: str = "post"):
    return WordPressObject.objects.get(kind=kind, wp_key=str(wp_id)).page.specific


def blocks(page) -> list[str]:
    return [block.block_type for block in page.body]


def test_posts_become_articles_with_dates_authors_topics_hero_and_seo(imported):
    article = page_of(101)
    assert isinstance(article, ArticlePage) and article.live
    assert article.title == "Bitcoin steigt über 50.000 Dollar"
    # Category "Bitcoin" lies below "Krypto", which is no section: the default section.
    assert article.get_parent().slug == "neuigkeiten"
    assert article.first_published_at.isoformat() == "2024-01-15T09:00:00+00:00"
    assert article.updated_at.isoformat() == "2024-01-20T09:00:00+00:00"
    assert article.teaser == "Der Kurs steigt kräftig."
    assert [author.name for author in article.authors] == ["Redaktion"]
    assert {tag.name for tag in article.tags.all()} == {"Bitcoin", "Börse"}
    assert article.hero_image.description == "Liniendiagramm des Bitcoin-Kurses im Januar"
    assert article.hero_image.credit == "Alt-Blog"
    assert article.hero_caption == "Grafik: Alt-Blog"
    # Yoast's template variables are gone; the description is taken as it is.
    assert article.seo_title == "Bitcoin über 50.000 Dollar"
    assert article.search_description == "Bitcoin überschreitet 50.000 Dollar: die Gründe."
    assert Author.objects.filter(name="Jana Müller").exists()
    assert Topic.objects.filter(name="Krypto", description="Alles über Kryptowährungen.").exists()


def test_gutenberg_blocks_become_our_blocks(imported):
    article = page_of(101)
    assert blocks(article) == [
        "paragraph", "heading", "paragraph", "quote", "image", "paragraph",
        "table", "image", "image", "embed", "paragraph",
    ]  # fmt: skip
    body = list(article.body)
    assert "<li>Zuflüsse in <b>ETFs</b></li>" in body[2].value.source
    assert body[3].value["text"] == "Der Markt ist in Bewegung."
    assert body[3].value["attribution"] == "Eine Analystin"
    assert body[4].value["caption"] == "Der Kurs im Januar"
    table = body[6].value
    assert [column["heading"] for column in table.columns] == ["Tag", "Kurs"]
    assert table.caption == "Schlusskurse in Dollar"
    assert body[9].value["embed"].url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    # The reusable block's content, in place of the reference.
    assert "Keine Anlageberatung" in body[10].value.source


def test_size_variants_and_double_uploads_give_one_image_each(imported):
    article = page_of(101)
    images = [block.value["image"].pk for block in article.body if block.block_type == "image"]
    # chart-1024x576.png, chart-300x169.png and chart.png are the same image.
    assert images[0] == images[1] == article.hero_image.pk
    # muenze.jpg was uploaded twice with the same bytes: one image for both attachments.
    assert get_image_model().objects.count() == 2
    both = WordPressObject.objects.filter(kind="attachment", wp_key__in=["12", "15"])
    assert len({mapping.image_id for mapping in both}) == 1


def test_classic_post_with_paragraphs_shortcodes_and_embeds(imported):
    article = page_of(102)
    assert article.first_published_at.isoformat() == "2019-05-03T12:30:00+00:00"
    assert article.updated_at is None  # ten minutes later is no update readers need to see
    # The first paragraph is the lead; blank lines separate paragraphs, a line break stays.
    assert article.teaser == "Gewinne aus Kryptowährungen sind nach einem Jahr steuerfrei."
    assert blocks(article)[:6] == ["paragraph", "image", "image", "image", "embed", "embed"]
    body = list(article.body)
    assert re.search(r"Bericht über den Kurs</a>\.<br>\s*Eine zweite Zeile", body[0].value.source)
    assert body[1].value["caption"] == "Eine Münze im Licht"
    assert (
        body[2].value["caption"] == "Grafik: Alt-Blog"
    )  # [gallery] uses the attachments' captions
    assert body[4].value["embed"].url == "https://twitter.com/altblog/status/123456789"
    assert body[5].value["embed"].url == "https://www.youtube.com/watch?v=abcdefghijk"
    text = " ".join(str(block.value.source) for block in body if block.block_type == "paragraph")
    assert "Kein Anlagetipp." in text  # [su_note] removed, its text kept
    assert "[adinserter" not in text and "[su_note" not in text
    assert "Fazit" in [block.value["text"] for block in body if block.block_type == "heading"]


def test_unsafe_markup_never_reaches_a_page_and_is_reported(imported, client):
    article = page_of(102)
    html = client.get(article.url).content.decode()
    assert "Absatz mit Klick." in html
    assert "steal()" not in html and "onclick" not in html
    assert "javascript:" not in html.lower()
    assert "document.write" not in html
    assert "tracker.example.net" not in html
    assert "phish.example.net" not in html and "Seed-Phrase eingeben" not in html
    assert "cdn.example.org" not in html
    assert not [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if 'src="/static/' not in tag and "ld+json" not in tag
    ]
    report = imported.out
    for removed in (
        "Skript: document.write",
        "Ereignis-Attribut: onclick an <p>",
        "javascript:-Link: „Gewinnspiel“",
        "javascript:-Link: „mehr“",
        "iframe: von tracker.example.net",
        "Stil-Element (<style>)",
        "Formular: Ziel https://phish.example.net/claim",
        "Bild nicht übernommen: externe Adresse https://cdn.example.org/fremd.png",
    ):
        assert f"Beitrag 102 „Steuern auf Kryptogewinne“: {removed}" in report, removed
    assert "[adinserter] entfernt" in report and "[contact-form-7] entfernt" in report


def test_statuses_are_honoured(imported):
    assert not page_of(103).live  # draft, no title
    assert page_of(103).title == "Ohne Titel (WordPress-ID 103)"
    assert not page_of(104).live  # pending
    scheduled = page_of(105)
    assert not scheduled.live and scheduled.go_live_at.year == 2099
    assert scheduled.get_latest_revision().approved_go_live_at.year == 2099
    assert not page_of(106).live  # private
    assert not WordPressObject.objects.filter(wp_key="107").exists()  # trashed
    protected = page_of(108)
    assert protected.live
    restriction = PageViewRestriction.objects.get(page=protected)
    assert restriction.restriction_type == "password" and restriction.password == "geheim"
    assert "war zur Prüfung vorgelegt" in imported.out
    assert "privat – als Entwurf übernommen, nicht öffentlich" in imported.out
    assert "oben angeheftet („sticky“)" in imported.out
    assert "im Papierkorb" in imported.out
    assert "Kommentare (nicht importiert): 2, davon 1 freigegeben" in imported.out


def test_pages_keep_their_hierarchy_even_when_the_child_comes_first(imported):
    about = page_of(201, "page")
    team = page_of(202, "page")
    assert isinstance(about, StandardPage) and about.live
    assert team.get_parent().pk == about.pk
    assert about.search_description == "Wer hinter dem Alt-Blog steht."
    assert not page_of(203, "page").live


def test_duplicate_titles_and_non_ascii_slugs(imported):
    first, second = page_of(101), page_of(109)
    assert first.slug == "bitcoin-steigt" and second.slug == "bitcoin-steigt-2"
    emoji = page_of(110)
    assert emoji.title == "Börse: Zölle & Märkte\xa0🚀"
    assert emoji.slug == "boerse-zoelle-maerkte"


def test_old_urls_answer_301_to_the_new_pages(imported, client):
    article, emoji = page_of(101), page_of(110)
    image_url = WordPressObject.objects.get(kind="attachment", wp_key="11").image.file.url
    expected = {
        "/2024/01/bitcoin-steigt/": article.url,
        "/?p=101": article.url,
        "/?page_id=201": page_of(201, "page").url,
        "/?attachment_id=11": article.url,  # the post the image belongs to
        "/2024/01/bitcoin-steigt/bitcoin-chart/": article.url,
        "/wp-content/uploads/2024/01/chart.png": image_url,
        "/wp-content/uploads/2024/01/chart-300x169.png": image_url,
        "/2024/03/boerse-zoelle-maerkte-%F0%9F%9A%80/": emoji.url,
        "/2024/03/zoelle-alt/": emoji.url,  # former slug
        "/2024/02/zoelle-alt/": emoji.url,  # former slug and date
        "/category/neuigkeiten/": "/neuigkeiten/",
        "/category/krypto/bitcoin/": "/thema/bitcoin/",
        "/tag/boerse/": "/thema/boerse/",
        "/?tag=boerse": "/thema/boerse/",
        "/author/j-mueller/": "/autor/jana-mueller/",
        "/?author=2": "/autor/jana-mueller/",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, new), old
    assert client.get(article.url).status_code == 200
    # A page whose new address is its old one answers there itself.
    assert page_of(202, "page").url == "/ueber-uns/team/"
    assert client.get("/ueber-uns/team/").status_code == 200
    # Not public: the old address leads nowhere.
    assert client.get("/2024/02/privater-beitrag/").status_code == 404
    assert client.get("/2023/12/alter-artikel/").status_code == 404


def test_internal_links_point_to_the_new_pages(imported, client):
    article, tax = page_of(101), page_of(102)
    stored = str(list(tax.body)[0].value.source)
    assert (
        f'<a id="{article.pk}" linktype="page">' in stored
        or f'linktype="page" id="{article.pk}"' in stored
    )
    html = client.get(tax.url).content.decode()
    assert f'href="{article.url}"' in html
    # 101 links to 110, which comes later in the file: rewritten in the last pass.
    html = client.get(article.url).content.decode()
    assert f'href="{page_of(110).url}"' in html
    assert f'href="{page_of(201, "page").url}"' in html
    pdf = WordPressObject.objects.get(kind="attachment", wp_key="14").document
    assert f'href="{pdf.url}"' in html
    # The trashed post's link is gone, its text stays; the report says so.
    assert "im alten Artikel" in html and "alter-artikel" not in html
    assert "alter-artikel/ (Ziel liegt im Papierkorb; Link entfernt, Text bleibt)" in imported.out


def test_missing_attachment_is_reported_and_the_post_imported_without_it(imported):
    article = page_of(111)
    assert article.live and article.hero_image is None
    assert "image" not in blocks(article)
    assert (
        "Mediendatei 13 „Netzwerk“: Datei fehlt im Medienordner: 2024/02/netz.webp" in imported.out
    )
    assert "Beitragsbild fehlt (2024/02/netz.webp)" in imported.out


def test_second_run_changes_nothing(imported, site_export, uploads):
    counts = lambda: (  # noqa: E731
        Page.objects.count(),
        Page.objects.order_by("-latest_revision_id").values_list("latest_revision_id", flat=True)[
            0
        ],
        Redirect.objects.count(),
        get_image_model().objects.count(),
        WordPressObject.objects.count(),
    )
    before = counts()
    again = run_import(site_export, "--media-dir", uploads)
    assert again.error is None
    assert counts() == before
    assert re.search(r"Beiträge\s+0\s+0\s+10\s+1\s+0", again.out), again.out
    assert "Weiterleitungen (301): 0 neu, 0 geändert" in again.out


def test_changed_export_updates_but_keeps_editors_changes(imported, site_export, uploads, tmp_path):
    edited = page_of(109)
    edited.title = "Von der Redaktion überarbeitet"
    edited.save_revision().publish()
    changed = tmp_path / "changed.xml"
    changed.write_text(
        site_export.read_text("utf-8")
        .replace("Bitcoin hat am Montag die Marke", "Bitcoin hat am Dienstag die Marke")
        .replace("Gleicher Titel, anderer Text.", "Neuer Text in WordPress."),
        "utf-8",
    )
    result = run_import(changed, "--media-dir", uploads)
    assert result.error is None
    assert "Dienstag" in str(list(page_of(101).body)[0].value.source)
    assert page_of(101).first_published_at.isoformat() == "2024-01-15T09:00:00+00:00"
    assert page_of(109).title == "Von der Redaktion überarbeitet"
    assert "seit dem Import in Kryptowelt bearbeitet – nicht überschrieben" in result.out
    assert ArticlePage.objects.filter(title__startswith="Bitcoin steigt").count() == 1


def test_dry_run_writes_nothing_and_reports_everything(home, site_export, uploads):
    pages, redirects = Page.objects.count(), Redirect.objects.count()
    result = run_import(site_export, "--media-dir", uploads, "--dry-run")
    assert result.error is None
    assert "Probelauf – nichts gespeichert" in result.out
    assert re.search(r"Beiträge\s+10\s+0\s+0\s+1\s+0", result.out), result.out
    assert "Skript: document.write" in result.out
    assert (Page.objects.count(), Redirect.objects.count()) == (pages, redirects)
    assert not WordPressObject.objects.exists() and not get_image_model().objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("rss-feed.xml", "ist ein RSS-Feed, aber keine WordPress-Exportdatei"),
        ("truncated.wxr.xml", "kein gültiges XML (Zeile"),
        ("README.md", "kein gültiges XML"),
    ],
)
def test_a_file_that_is_not_wxr_gets_a_german_error_before_anything_is_written(home, name, message):
    pages = Page.objects.count()
    result = run_import(FIXTURES / name)
    assert result.error is not None and message in str(result.error)
    assert result.error.returncode == 2
    assert Page.objects.count() == pages and not WordPressObject.objects.exists()


def test_an_item_that_fails_is_skipped_with_its_reason_and_leaves_nothing(
    home, site_export, uploads, monkeypatch
):
    real = services.redirects_ensure

    def failing(*, paths, **kwargs):
        if any("steuern-auf-kryptogewinne" in path for path in paths):
            raise ValueError("Datenbank voll")
        return real(paths=paths, **kwargs)

    monkeypatch.setattr(services, "redirects_ensure", failing)
    result = run_import(site_export, "--media-dir", uploads)
    assert result.error is None
    assert (
        "Beitrag 102 „Steuern auf Kryptogewinne“: nicht gespeichert: Datenbank voll" in result.out
    )
    # The page was created before the failure; the item's transaction took it back.
    assert not ArticlePage.objects.filter(title="Steuern auf Kryptogewinne").exists()
    assert not WordPressObject.objects.filter(kind="post", wp_key="102").exists()
    assert page_of(101).live  # the others are there
    assert re.search(r"Beiträge\s+9\s+0\s+0\s+1\s+1", result.out), result.out


def test_section_map_chooses_sections(home, site_export, uploads, tmp_path):
    section_map = tmp_path / "rubriken.toml"
    section_map.write_text('default = "wissen"\n\n[categories]\nkrypto = "trends"\n', "utf-8")
    result = run_import(site_export, "--media-dir", uploads, "--section-map", section_map)
    assert result.error is None
    assert page_of(101).get_parent().slug == "trends"  # Bitcoin lies below Krypto
    assert page_of(102).get_parent().slug == "neuigkeiten"  # category named like the section
    assert page_of(108).get_parent().slug == "wissen"  # "Allgemein": the map's default


def test_unknown_section_in_the_map_stops_before_anything_is_written(home, site_export, tmp_path):
    section_map = tmp_path / "rubriken.toml"
    section_map.write_text('[categories]\nkrypto = "gibtsnicht"\n', "utf-8")
    result = run_import(site_export, "--section-map", section_map)
    assert "Diese Rubriken gibt es nicht: „gibtsnicht“ (Kategorie krypto)" in str(result.error)
    assert not WordPressObject.objects.exists()


def test_other_permalink_structure_in_a_subfolder(home, client):
    result = run_import(FIXTURES / "subdir.wxr.xml")
    assert result.error is None
    first, second = page_of(5), page_of(6)
    for old, new in {
        "/blog/ratgeber/wallet-einrichten/": first.url,
        "/blog/archives/6": second.url,
        "/blog/?p=6": second.url,
        "/blog/category/ratgeber/": "/thema/ratgeber/",
    }.items():
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, new), old
    assert f'href="{second.url}"' in client.get(first.url).content.decode()
    assert first.first_published_at < timezone.now()
