"""Entities the engine counts: coins, tickers, companies, people, regulators, laws."""

import pytest

from kryptowelt.related.entities import entities


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


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("", set()),
        ("   ", set()),
        ("Bitcoin", {"coin:bitcoin"}),
        ("12345 67,89 2024 0,1 1.000.000", set()),
        ("The quick brown fox jumps", set()),
    ],
)
def test_bad_input_names_no_invented_entities(text, found):
    assert entities(text) == found


def test_one_megabyte_text_is_scanned():
    text = ("Bitcoin und Ethereum bewegen den Markt; die BaFin beobachtet. " * 17_000)[:1_000_000]
    assert {"coin:bitcoin", "coin:ethereum", "regulator:bafin"} <= entities(text)
