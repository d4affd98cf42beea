"""Guides ("Ratgeber") through their pages: overview, chapter navigation, FAQ, demo."""

import json
import re

import pytest

from kryptowelt.guides.factories import guide_make
from kryptowelt.guides.selectors import guide_chapters

pytestmark = pytest.mark.django_db


def json_ld(html):
    return [
        json.loads(m)
        for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    ]


def next_link(html):
    match = re.search(r'<a class="chapter-nav__link chapter-nav__link--next" href="([^"]+)"', html)
    return match.group(1) if match else None


def test_guide_page_lists_chapters_in_order_with_faq_json_ld(client, home):
    guide = guide_make(home=home, faq=(("Frage eins?", "Antwort eins."), ("Frage zwei?", "Zwei.")))
    response = client.get(guide.url)
    html = response.content.decode()
    assert response.status_code == 200
    titles = re.findall(r'class="chapter-list__title"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == ["Erstes Kapitel", "Zweites Kapitel", "Drittes Kapitel"]
    assert "Mit Kapitel 1 beginnen" in html
    assert "<summary>Frage eins?</summary>" in html
    faq = next(d for d in json_ld(html) if d["@type"] == "FAQPage")
    assert faq["mainEntity"] == [
        {
            "@type": "Question",
            "name": "Frage eins?",
            "acceptedAnswer": {"@type": "Answer", "text": "Antwort eins."},
        },
        {
            "@type": "Question",
            "name": "Frage zwei?",
            "acceptedAnswer": {"@type": "Answer", "text": "Zwei."},
        },
    ]


def test_guide_without_faq_has_no_faq_json_ld(client, home):
    guide = guide_make(home=home, faq=())
    html = client.get(guide.url).content.decode()
    assert all(d["@type"] != "FAQPage" for d in json_ld(html))
    assert "Häufige Fragen" not in html


def test_chapter_navigation_previous_next_toc_and_progress(client, home):
    guide = guide_make(home=home)
    first, second, third = guide_chapters(guide=guide)
    html = client.get(second.url).content.decode()
    assert "Kapitel 2 von 3" in html
    assert '<progress class="chapter-progress__bar" max="3" value="2"' in html
    assert f'href="{first.url}" rel="prev"' in html
    assert f'href="{third.url}" rel="next"' in html
    toc = html.split('class="chapter-toc__list">')[1].split("</ol>")[0]
    assert f'<a href="{first.url}">Erstes Kapitel</a>' in toc
    assert '<span aria-current="page">' in toc and "Zweites Kapitel</span>" in toc
    assert f'<a href="{third.url}">Drittes Kapitel</a>' in toc

    first_html = client.get(first.url).content.decode()
    assert "Kapitel 1 von 3" in first_html
    assert 'rel="prev"' not in first_html.split('class="chapter-nav"')[1]
    assert "← Übersicht" in first_html

    last_html = client.get(third.url).content.decode()
    assert "Geschafft!" in last_html
    assert next_link(last_html) == f"{guide.url}#faq-titel"


def test_chapter_order_follows_the_page_tree(client, home):
    guide = guide_make(home=home)
    first, second, third = guide_chapters(guide=guide)
    third.move(first, pos="left")  # editors drag the last chapter to the front
    html = client.get(first.url).content.decode()
    assert "Kapitel 2 von 3" in html
    assert next_link(html) == second.url


def test_unpublished_chapter_is_left_out_of_navigation(client, home):
    guide = guide_make(home=home)
    first, second, third = guide_chapters(guide=guide)
    second.unpublish()
    html = client.get(first.url).content.decode()
    assert "Kapitel 1 von 2" in html
    assert next_link(html) == third.url
    assert client.get(second.url).status_code == 404


def test_guides_overview_lists_guides_with_chapter_count(client, home):
    guide_make(home=home)
    html = client.get("/ratgeber/").content.decode()
    assert "Testratgeber" in html
    assert "3 Kapitel" in html
    assert '<a href="/ratgeber/"' in html  # main navigation


def test_chapters_link_lexicon_terms_unless_switched_off(client, home):
    from kryptowelt.glossary.factories import lexicon_index_make, term_make

    index = lexicon_index_make(home=home)
    term_make(index=index, title="Abschnitt", short="Ein Teil eines Textes.")
    guide = guide_make(home=home)
    chapter = guide_chapters(guide=guide)[0]
    html = client.get(chapter.url).content.decode()
    body = html.split('class="prose chapter__body">')[1].split("</div>")[0]
    # "Abschnitt 1" is a heading: no link there, and the body text has no mention.
    assert 'href="/lexikon/abschnitt/"' not in body

    chapter.body = [{"type": "paragraph", "value": "<p>Jeder Abschnitt zählt.</p>"}]
    chapter.save_revision().publish()
    html = client.get(chapter.url).content.decode()
    assert 'class="term__link" href="/lexikon/abschnitt/"' in html
    chapter.glossary_links = False
    chapter.save_revision().publish()
    assert "term__link" not in client.get(chapter.url).content.decode()


def test_beginner_guide_reads_start_to_finish(client, home):
    from io import StringIO

    from kryptowelt.guides.loaders import load_guides
    from kryptowelt.guides.models import ChapterPage, GuidePage

    out = StringIO()
    load_guides(home=home, stdout=out)
    load_guides(home=home, stdout=out)  # idempotent
    assert GuidePage.objects.count() == 2
    assert ChapterPage.objects.count() == 9
    assert "0 Kapitel neu" in out.getvalue()

    guide_html = client.get("/ratgeber/krypto-fuer-einsteiger/").content.decode()
    faq = next(d for d in json_ld(guide_html) if d["@type"] == "FAQPage")
    assert len(faq["mainEntity"]) >= 5
    url = re.search(r'<a class="button" href="([^"]+)">Mit Kapitel 1 beginnen', guide_html).group(1)
    titles = []
    while url and "#" not in url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        titles.append(re.search(r'<h1 id="kapitel-titel">([^<]+)</h1>', html).group(1))
        assert f"Kapitel {len(titles)} von 6" in html
        url = next_link(html)
    assert titles == [
        "Was ist Bitcoin?",
        "Wallets verstehen",
        "Die richtige Börse wählen",
        "Der erste Kauf",
        "Sicher aufbewahren",
        "Steuern in Deutschland",
    ]
    assert url == "/ratgeber/krypto-fuer-einsteiger/#faq-titel"
