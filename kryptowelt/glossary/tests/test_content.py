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


def test_every_explanation_converts_to_body_blocks_with_real_lists():
    from kryptowelt.core.markdown import markdown_to_blocks

    for entry in terms_read():
        blocks = markdown_to_blocks(separate_lists(entry.body))
        assert blocks and all(block["type"] == "paragraph" for block in blocks), entry.slug
        html = "".join(block["value"] for block in blocks)
        if "\n- " in entry.body:
            assert "<ul>" in html and "\n- " not in html, entry.slug


@pytest.mark.django_db
def test_lexicon_loader_creates_missing_terms_once_with_related_terms(client, home):
    """A slice of the real file (the demo test loads all of it through `kryptowelt demo`)."""
    from dataclasses import replace

    from kryptowelt.glossary.models import LexiconTermPage
    from kryptowelt.glossary.services import lexicon_index_get_or_create, lexicon_terms_create

    wanted = {"bitcoin", "blockchain", "mining", "halving", "satoshi", "seed-phrase", "wallet"}
    entries = [
        replace(entry, related=[slug for slug in entry.related if slug in wanted])
        for entry in terms_read()
        if entry.slug in wanted
    ]
    index = lexicon_index_get_or_create(home=home)
    assert lexicon_terms_create(index=index, entries=entries) == len(wanted)
    assert lexicon_terms_create(index=index, entries=entries) == 0
    assert LexiconTermPage.objects.live().count() == len(wanted)

    bitcoin = LexiconTermPage.objects.get(slug="bitcoin")
    assert [t.slug for t in bitcoin.related_terms] == ["blockchain", "mining", "halving", "satoshi"]
    assert any(
        block.block_type == "paragraph" and "<ul>" in block.value.source for block in bitcoin.body
    )
    assert f"{len(wanted)} Begriffe von A bis Z" in client.get("/lexikon/").content.decode()
    term_html = client.get("/lexikon/seed-phrase/").content.decode()
    assert "Wiederherstellungsphrase" in term_html
    assert 'href="/lexikon/wallet/"' in term_html
