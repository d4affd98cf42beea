"""The lexicon content file and its loader (the demo's Krypto-Lexikon)."""

import pytest

from kryptowelt.glossary.content import LexiconFileError, separate_lists, terms_read


def test_term_file_holds_at_least_80_valid_entries():
    entries = terms_read()
    assert len(entries) >= 80
    for entry in entries:
        assert len(entry.short) <= 160, entry.slug
        assert entry.short.endswith("."), entry.slug
        assert 80 <= len(entry.body.split()) <= 260, entry.slug
        assert 2 <= len(entry.related) <= 5, entry.slug
        assert all(url.startswith("https://") for url in entry.sources), entry.slug
    slugs = {entry.slug for entry in entries}
    for required in (
        "bitcoin",
        "blockchain",
        "wallet",
        "wallet-adresse",
        "private-key",
        "seed-phrase",
        "stablecoin",
        "staking",
        "halving",
        "layer-2",
        "defi",
        "mica",
        "bafin",
        "spread",
        "maker-gebuehr",
        "taker-gebuehr",
        "cold-storage",
        "proof-of-reserves",
    ):
        assert required in slugs


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[term]\nslug = 'x'", "nicht lesbar"),
        ("title = 'keine Einträge'", "keine [[term]]-Einträge"),
        ("[[term]]\nslug = 'a'\ntitle = 'A'\n", "Pflichtfeld 'short' fehlt"),
        ("[[term]]\nslug = 'Ä b'\ntitle = 'A'\nshort = 'S.'\n", "ungültiger Kurzname"),
        (
            "[[term]]\nslug = 'a'\ntitle = 'A'\nshort = 'S.'\n"
            "[[term]]\nslug = 'a'\ntitle = 'B'\nshort = 'S.'\n",
            "Kurzname doppelt vergeben",
        ),
        (
            "[[term]]\nslug = 'a'\ntitle = 'A'\nshort = 'S.'\nvariants = ['B']\n"
            "[[term]]\nslug = 'b'\ntitle = 'B'\nshort = 'S.'\n",
            "Schreibweise „B“ gehört schon zu „a“",
        ),
        (
            "[[term]]\nslug = 'a'\ntitle = 'A'\nshort = 'S.'\nrelated = ['fehlt']\n",
            "unbekannte verwandte Begriffe ['fehlt']",
        ),
        ("[[term]]\nslug = 'a'\ntitle = 'A'\nshort = '" + "x" * 201 + "'\n", "länger als"),
    ],
)
def test_broken_term_files_are_reported_in_german(tmp_path, content, message):
    path = tmp_path / "terms.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        terms_read(path=path)


def test_lists_after_a_paragraph_line_become_real_lists():
    assert separate_lists("Eckdaten:\n- BTC\n- 21 Mio.\n\nEnde") == (
        "Eckdaten:\n\n- BTC\n- 21 Mio.\n\nEnde"
    )


@pytest.mark.django_db
def test_demo_lexicon_loads_every_term_once(client, home):
    from io import StringIO

    from kryptowelt.glossary.loaders import load_lexicon
    from kryptowelt.glossary.models import LexiconTermPage

    out = StringIO()
    load_lexicon(stdout=out)
    count = LexiconTermPage.objects.live().count()
    assert count == len(terms_read()) >= 80
    assert f"Lexikon: {count} Begriffe neu" in out.getvalue()
    load_lexicon(stdout=out)
    assert LexiconTermPage.objects.count() == count
    assert "0 Begriffe neu" in out.getvalue()

    bitcoin = LexiconTermPage.objects.get(slug="bitcoin")
    assert [t.slug for t in bitcoin.related_terms][:2] == ["blockchain", "mining"]
    assert any(
        block.block_type == "paragraph" and "<ul>" in block.value.source for block in bitcoin.body
    )
    index_html = client.get("/lexikon/").content.decode()
    assert f"{count} Begriffe von A bis Z" in index_html
    term_html = client.get("/lexikon/seed-phrase/").content.decode()
    assert "Wiederherstellungsphrase" in term_html
    assert 'href="/lexikon/wallet/"' in term_html
