"""The one German text analysis: normalising, folding, tokens, stems, stop words, terms,
leads and inflected names (no database)."""

import pytest

from kryptowelt.text import (
    FOLDED_STOP_WORDS,
    SEARCH_STOP_WORDS,
    STOP_WORDS,
    fold,
    fold_transcriptions,
    index_terms,
    inflected_forms,
    lower_keeping_offsets,
    normalise,
    split_lead,
    stem,
    tokenise,
    words,
)


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("Layer-2-Netzwerke wie Arbitrum", "layer-2-netzwerke"),
        ("Ein Layer-2 für Ethereum", "layer-2"),
        ("Das Paar BTC/EUR stieg", "btc/eur"),
        ("Der Kurs lag bei 97,4 Tausend", "97,4"),
        ("Proof-of-Stake spart Strom", "proof-of-stake"),
    ],
)
def test_tokenise_keeps_domain_terms_whole(text, token):
    assert token in tokenise(text)


def test_tokenise_drops_punctuation_and_unifies_dashes():
    assert tokenise("Bitcoin – Ethereum, Solana.") == ["bitcoin", "ethereum", "solana"]
    assert tokenise("Layer‑2") == ["layer-2"]  # non-breaking hyphen
    assert tokenise("Kryp\u00adto") == ["krypto"]  # soft hyphen


def test_words_are_plain_letters_and_digits():
    assert words("Bitcoin-ETF: 97,4 % für BTC/EUR") == [
        "bitcoin",
        "etf",
        "97",
        "4",
        "für",
        "btc",
        "eur",
    ]
    assert words("Kryp\u00adto\u200bwährung") == ["kryptowährung"]  # invisible characters


def test_normalise_composes_and_folds_case():
    decomposed = "Bo\u0308rse"  # o + combining diaeresis
    assert normalise(decomposed) == "börse"
    assert normalise("Straße – Bitcoin’s") == "strasse - bitcoin's"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Börse", "Boerse"),
        ("BÖRSEN", "börse"),
        ("Straße", "Strasse"),
        ("Kryptowährungen", "Kryptowaehrung"),
    ],
)
def test_umlaut_and_sharp_s_spellings_match(a, b):
    assert index_terms(a) == index_terms(b)
    assert [stem(word) for word in words(a)] == [stem(word) for word in words(b)]


def test_fold_removes_umlauts_and_sharp_s():
    assert fold("Größe ÄRGER Übel") == "grosse arger ubel"
    assert fold_transcriptions("Boerse Börse Michael") == "borse borse michal"


def test_stems_are_those_the_search_index_stores():
    # Stored search_stems depend on these: a change here needs a search reindex.
    assert [stem(word) for word in words("Kryptowährungen Börsen Wallets Straße")] == [
        "kryptowahr",
        "bors",
        "wall",
        "strass",
    ]


def test_one_stop_word_list_with_the_search_list_inside():
    assert SEARCH_STOP_WORDS <= STOP_WORDS
    assert {"und", "für", "über", "sagte", "prozent"} <= STOP_WORDS
    assert {"fur", "uber", "dass"} <= FOLDED_STOP_WORDS
    # Search keeps meaningful words that the engine's longer list drops.
    assert "mehr" in STOP_WORDS and "mehr" not in SEARCH_STOP_WORDS


def test_index_terms_stem_and_drop_stop_words():
    terms = index_terms("Die Kryptowährungen und der Bitcoin sind wieder gestiegen")
    assert "die" not in terms and "und" not in terms and "der" not in terms
    assert stem("kryptowahrungen") in terms
    assert "bitcoin" in terms


def test_hyphenated_compounds_count_whole_and_in_parts():
    terms = index_terms("Bitcoin-ETF")
    assert terms[0] == "bitcoin-etf"
    assert {"bitcoin", "etf"} <= set(terms)
    assert index_terms("Bitcoin-ETF", parts=False) == ["bitcoin-etf"]


def test_bare_numbers_are_not_terms_but_years_are():
    terms = index_terms("Im Jahr 2024 stieg der Kurs um 97,4 Prozent auf 12.345")
    assert "2024" in terms
    assert "97,4" not in terms and "12.345" not in terms


def test_split_lead_takes_the_first_sentence():
    lead, rest = split_lead("Die EZB senkt den Zins. Anleger reagieren erleichtert.")
    assert lead == "Die EZB senkt den Zins."
    assert rest == "Anleger reagieren erleichtert."


@pytest.mark.parametrize(
    ("text", "terms", "lead"),
    [
        ("", [], ("", "")),
        ("   ", [], ("", "")),
        ("!!! ??? ...", [], ("!!! ??? ...", "")),
        ("Bitcoin", ["bitcoin"], ("Bitcoin", "")),
        # Only the year is a term; the text is one "sentence".
        ("12345 67,89 2024 0,1 1.000.000", ["2024"], ("12345 67,89 2024 0,1 1.000.000", "")),
        # English is stemmed as German would be, but nothing is lost.
        ("The quick brown fox jumps", ["the", "quick", "brown", "fox", "jumps"], None),
        # A URL-like monster token is dropped, the word after it stays.
        ("https://example.com/" + "a" * 60 + " Bitcoin", ["https", "bitcoin"], None),
    ],
)
def test_bad_input_gives_sensible_terms(text, terms, lead):
    assert index_terms(text) == terms
    if lead is not None:
        assert split_lead(text) == lead


def test_one_megabyte_text_is_analysed():
    text = ("Bitcoin und Ethereum bewegen den Markt; die BaFin beobachtet. " * 17_000)[:1_000_000]
    terms = index_terms(text)
    assert len(terms) > 50_000
    assert "x" * 5000 not in tokenise("x" * 5000)  # absurd "words" are dropped


def test_inflected_forms_add_regular_endings_but_abbreviations_only_take_s():
    assert inflected_forms("Wallet") == [
        "Wallet",
        "Wallets",
        "Walletn",
        "Walleten",
        "Wallete",
        "Walletes",
        "Walleter",
        "Walletern",
    ]
    assert inflected_forms("ETF") == ["ETF", "ETFs"]
    assert inflected_forms("C++") == ["C++"]
    assert inflected_forms("  Cold   Wallet ")[0] == "Cold Wallet"
    assert inflected_forms("   ") == []


def test_lower_keeping_offsets_keeps_the_length():
    text = "İstanbul Straße ẞ"
    lowered = lower_keeping_offsets(text)
    assert len(lowered) == len(text)
    assert lowered.endswith("straße ß")
