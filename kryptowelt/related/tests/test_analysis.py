"""German text analysis: tokens, folding, stems, stop words, entities, bad input."""

import pytest

from kryptowelt.related.analysis import (
    entities,
    fold,
    index_terms,
    normalise,
    split_lead,
    stem,
    tokenize,
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
def test_tokenize_keeps_domain_terms_whole(text, token):
    assert token in tokenize(text)


def test_tokenize_drops_punctuation_and_unifies_dashes():
    assert tokenize("Bitcoin – Ethereum, Solana.") == ["bitcoin", "ethereum", "solana"]
    assert tokenize("Layer‑2") == ["layer-2"]  # non-breaking hyphen
    assert tokenize("Kryp\u00adto") == ["krypto"]  # soft hyphen


def test_normalise_composes_and_folds_case():
    decomposed = "Bo\u0308rse"  # o + combining diaeresis
    assert normalise(decomposed) == "börse"


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


def test_fold_removes_umlauts_and_sharp_s():
    assert fold("Größe ÄRGER Übel") == "grosse arger ubel"


def test_index_terms_stem_and_drop_stop_words():
    terms = index_terms("Die Kryptowährungen und der Bitcoin sind wieder gestiegen")
    assert "die" not in terms and "und" not in terms and "der" not in terms
    assert stem("kryptowahrungen") in terms
    assert "bitcoin" in terms


def test_hyphenated_compounds_count_whole_and_in_parts():
    terms = index_terms("Bitcoin-ETF")
    assert terms[0] == "bitcoin-etf"
    assert {"bitcoin", "etf"} <= set(terms)


def test_bare_numbers_are_not_terms_but_years_are():
    terms = index_terms("Im Jahr 2024 stieg der Kurs um 97,4 Prozent auf 12.345")
    assert "2024" in terms
    assert "97,4" not in terms and "12.345" not in terms


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Der Bitcoin steigt", "coin:bitcoin"),
        ("BTC notiert fester", "coin:bitcoin"),
        ("Der Bitcoinkurs fällt", "coin:bitcoin"),
        ("Das Paar BTC/EUR", "coin:bitcoin"),
        ("OpenAI stellt ein Modell vor", "org:openai"),
        ("Elon Musk twittert", "person:elon-musk"),
        ("Musks Firma", "person:elon-musk"),
        ("Die BaFin warnt", "regulator:bafin"),
        ("Die BAFIN warnt", "regulator:bafin"),
        ("MiCA gilt ab 2024", "law:mica"),
        ("Die Börse Stuttgart", "org:boerse-stuttgart"),
        ("Die Boerse Stuttgart", "org:boerse-stuttgart"),
    ],
)
def test_entities_found(text, entity):
    assert entity in entities(text)


def test_tickers_only_count_in_capitals():
    assert "coin:solana" in entities("SOL legt zu")
    assert "coin:solana" not in entities("Die sol-Lösung")
    assert "coin:chainlink" not in entities("Der Link zur Seite")


def test_multi_word_entity_wins_over_its_first_word():
    assert entities("Bitcoin Cash spaltete sich ab") >= {"coin:bitcoin-cash"}


def test_split_lead_takes_the_first_sentence():
    lead, rest = split_lead("Die EZB senkt den Zins. Anleger reagieren erleichtert.")
    assert lead == "Die EZB senkt den Zins."
    assert rest == "Anleger reagieren erleichtert."


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Bitcoin", "12345 67,89 2024 0,1 1.000.000", "The quick brown fox jumps"],
)
def test_bad_input_gives_sensible_terms(text):
    terms = index_terms(text)
    assert isinstance(terms, list)
    assert entities(text) <= {"coin:bitcoin"}
    split_lead(text)


def test_one_megabyte_text_is_analysed():
    text = ("Bitcoin und Ethereum bewegen den Markt; die BaFin beobachtet. " * 17_000)[:1_000_000]
    terms = index_terms(text)
    assert len(terms) > 50_000
    assert {"coin:bitcoin", "coin:ethereum", "regulator:bafin"} <= entities(text)
    assert "x" * 5000 not in tokenize("x" * 5000)  # absurd "words" are dropped
