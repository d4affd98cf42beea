"""The engine without Django: scoring, diversity, incremental changes, bad input."""

import time

import pytest

from kryptowelt.related.documents import Config, Document
from kryptowelt.related.engine import RelatedEngine

DAY = 86_400.0
NOW = time.time()

TOPICS = {
    "etf": [
        "Spot-ETFs auf Bitcoin ziehen Milliarden an.",
        "BlackRock und Fidelity melden Zuflüsse in ihre Bitcoin-ETFs.",
        "Anleger kaufen über die Börse Anteile, die den Bitcoin-Kurs abbilden.",
        "Die SEC hatte die Fonds nach langem Zögern genehmigt.",
        "Analysten erwarten weitere ETF-Zuflüsse von Pensionskassen.",
        "Die Verwahrung der Bitcoins übernimmt Coinbase für viele Emittenten.",
    ],
    "steuer": [
        "Gewinne aus privaten Veräußerungsgeschäften sind nach einem Jahr steuerfrei.",
        "Innerhalb der Haltefrist gilt eine Freigrenze für Gewinne.",
        "Das Finanzamt verlangt Belege für Kauf und Verkauf.",
        "Die FIFO-Methode bestimmt, welche Einheiten zuerst verkauft gelten.",
        "Staking-Erträge sind sonstige Einkünfte und steuerpflichtig.",
        "Ein Steuerberater hilft bei der Steuererklärung mit Kryptowerten.",
    ],
    "wallet": [
        "Die Seed-Phrase gehört auf Papier, nicht in die Cloud.",
        "Eine Hardware-Wallet speichert private Schlüssel offline.",
        "Transaktionen werden am Gerät bestätigt und signiert.",
        "Eine PIN schützt die Wallet vor fremdem Zugriff.",
        "Die Wiederherstellung klappt nur mit der Seed-Phrase.",
        "Phishing-Seiten fragen nach der Seed-Phrase: niemals eingeben.",
    ],
    "ki": [
        "Sam Altman treibt mit Worldcoin ein Projekt für digitale Identität voran.",
        "Kritiker sehen Datenschutzprobleme bei der Iris-Erfassung.",
        "OpenAI selbst ist an dem Projekt nicht beteiligt.",
        "Künstliche Intelligenz und Blockchain werden oft zusammen vermarktet.",
        "Datenschützer prüfen die Erfassung biometrischer Daten.",
        "Der Token WLD schwankt stark.",
    ],
}


def corpus(copies=4, section="neuigkeiten"):
    """Documents per topic, each from a different window of the topic's sentences."""
    documents = []
    for topic, sentences in TOPICS.items():
        for i in range(copies):
            window = [sentences[(i + j) % len(sentences)] for j in range(3)]
            documents.append(
                Document(
                    key=f"{topic}-{i}",
                    title=window[0],
                    teaser=window[1],
                    body=window[2],
                    section=section,
                    published_at=NOW - (i + 1) * 3 * DAY,
                )
            )
    return documents


def topic_text(topic: str, start: int = 0, size: int = 4) -> str:
    sentences = TOPICS[topic]
    return " ".join(sentences[(start + j) % len(sentences)] for j in range(size))


def keys(matches):
    return [match.key for match in matches]


def test_neighbours_share_the_topic_and_exclude_the_document_itself():
    engine = RelatedEngine.build(corpus(), Config(near_duplicate=2.0))
    related = keys(engine.related("etf-0", limit=3))
    assert "etf-0" not in related
    assert all(key.startswith("etf-") for key in related)


def test_scores_are_descending_and_limit_is_respected():
    engine = RelatedEngine.build(corpus(), Config(near_duplicate=2.0))
    matches = engine.related("steuer-1", limit=5)
    assert len(matches) == 5
    scores = [match.score for match in matches]
    assert scores == sorted(scores, reverse=True)


def test_shared_tags_and_entities_pull_articles_together():
    documents = [
        Document(
            key="a", title="Kurse am Morgen", body="Der Markt bewegt sich kaum.", tags=["Solana"]
        ),
        Document(
            key="b", title="Wochenrückblick", body="Ruhige Tage an den Märkten.", tags=["Solana"]
        ),
        Document(
            key="c", title="Wochenrückblick", body="Ruhige Tage an den Märkten.", tags=["Steuern"]
        ),
        Document(key="d", title="SOL im Fokus", body="Die Solana-Gemeinde feiert."),
        Document(key="e", title="Neues zu Cardano", body="ADA legt zu."),
    ]
    engine = RelatedEngine.build(documents, Config(near_duplicate=2.0, min_df=1))
    related = keys(engine.related("a", limit=4))
    assert related.index("b") < related.index("c")
    # "SOL" in the text is the same coin as the tag "Solana".
    assert keys(engine.related("d", limit=4))[:2] in (["a", "b"], ["b", "a"])


def test_near_duplicates_are_left_out():
    body = topic_text("etf") * 3
    documents = [
        Document(key="original", title="ETF-Zuflüsse", body=body),
        Document(key="copy", title="ETF-Zuflüsse", body=body + " Ergänzt."),
        *corpus(copies=2),
    ]
    engine = RelatedEngine.build(documents)
    assert "copy" not in keys(engine.related("original", limit=5))
    loose = RelatedEngine.build(documents, Config(near_duplicate=2.0))
    assert keys(loose.related("original", limit=5))[0] == "copy"


def test_not_all_from_one_day_when_others_are_good():
    same_day = NOW - 2 * DAY
    documents = [
        Document(
            key=f"d{i}",
            title=f"Bitcoin-ETF Zuflüsse Tag {i}",
            body=topic_text("etf", i),
            published_at=same_day + i,
        )
        for i in range(6)
    ] + [
        Document(
            key=f"o{i}",
            title=f"Bitcoin-ETF Zuflüsse Woche {i}",
            body=topic_text("etf", i + 2, 3),
            published_at=NOW - (10 + i) * DAY,
        )
        for i in range(4)
    ]
    free = RelatedEngine.build(documents, Config(near_duplicate=2.0, max_per_day=100))
    assert sum(key.startswith("d") for key in keys(free.related("d0", limit=5))) >= 4
    engine = RelatedEngine.build(documents, Config(near_duplicate=2.0, max_per_day=2))
    related = keys(engine.related("d0", limit=5))
    assert sum(key.startswith("d") for key in related) <= 2
    assert len(related) == 5


def test_not_all_from_one_section_when_others_are_good():
    documents = [
        Document(
            key=f"n{i}",
            title="Bitcoin-ETF Zuflüsse",
            body=topic_text("etf", i, 4),
            section="neuigkeiten",
        )
        for i in range(7)
    ] + [
        Document(
            key=f"w{i}",
            title="Was ist ein Bitcoin-ETF?",
            body=topic_text("etf", i + 3, 2),
            section="wissen",
        )
        for i in range(3)
    ]
    free = RelatedEngine.build(
        documents, Config(near_duplicate=2.0, freshness=0, max_section_share=1.0)
    )
    assert all(key.startswith("n") for key in keys(free.related("n0", limit=6)))
    engine = RelatedEngine.build(documents, Config(near_duplicate=2.0, freshness=0))
    related = keys(engine.related("n0", limit=6))
    assert sorted(key[0] for key in related) == ["n", "n", "n", "w", "w", "w"]


def test_one_section_only_still_fills_the_list():
    engine = RelatedEngine.build(corpus(), Config(near_duplicate=2.0))
    assert len(engine.related("etf-0", limit=6)) == 6


def test_exclude_leaves_out_given_keys():
    engine = RelatedEngine.build(corpus(), Config(near_duplicate=2.0))
    related = keys(engine.related("etf-0", limit=5, exclude=["etf-1", "etf-2"]))
    assert "etf-1" not in related and "etf-2" not in related


def test_add_update_remove():
    engine = RelatedEngine.build(corpus(copies=3), Config(near_duplicate=2.0))
    new = Document(
        key="neu", title="Neue Bitcoin-ETF Zuflüsse bei BlackRock", body=topic_text("etf")
    )
    engine.add(new)
    assert "neu" in engine
    assert "neu" in keys(engine.related("etf-0", limit=3))
    assert all(key.startswith("etf") for key in keys(engine.related("neu", limit=3)))
    engine.update(Document(key="neu", title="Steuern auf Krypto", body=topic_text("steuer")))
    assert all(key.startswith("steuer") for key in keys(engine.related("neu", limit=3)))
    assert engine.remove("neu")
    assert "neu" not in engine
    assert "neu" not in keys(engine.related("steuer-0", limit=12))
    assert not engine.remove("neu")


def test_many_additions_merge_into_the_index():
    engine = RelatedEngine.build(corpus(copies=2), Config(merge_every=3, near_duplicate=2.0))
    for i in range(7):
        engine.add(
            Document(
                key=f"x{i}",
                title="Seed-Phrase sicher aufbewahren",
                body=topic_text("wallet", i),
            )
        )
    related = keys(engine.related("wallet-0", limit=4))
    assert all(key.startswith(("x", "wallet")) for key in related)


def test_related_to_a_draft_does_not_change_the_engine():
    engine = RelatedEngine.build(corpus(), Config(near_duplicate=2.0))
    size = len(engine)
    draft = Document(key="entwurf", title="Steuer-Tipps", body=topic_text("steuer"))
    related = keys(engine.related_to(draft, limit=3))
    assert all(key.startswith("steuer") for key in related)
    assert len(engine) == size and "entwurf" not in engine


@pytest.mark.parametrize(
    "document",
    [
        Document(key="leer", title="", body=""),
        Document(key="ein-wort", title="Bitcoin"),
        Document(key="zahlen", title="2024", body="12 345 67,8 0,01 " * 200),
        Document(
            key="englisch",
            title="Bitcoin hits record",
            body="The price of bitcoin rose sharply on Monday as ETF inflows continued.",
        ),
        Document(
            key="riesig",
            title="Sehr lang",
            body=("Die Blockchain speichert Transaktionen dauerhaft. " * 25_000),
        ),
    ],
)
def test_bad_documents_get_a_full_list_without_crashing(document):
    engine = RelatedEngine.build([*corpus(), document])
    related = engine.related(document.key, limit=6)
    assert len(related) == 6
    assert document.key not in keys(related)
    # And the others still work with it in the index.
    assert len(engine.related("etf-0", limit=6)) == 6


def test_english_article_finds_its_topic():
    engine = RelatedEngine.build(corpus())
    engine.add(
        Document(
            key="en",
            title="Bitcoin ETF inflows",
            body="BlackRock and Fidelity report Bitcoin-ETF inflows; the SEC approved them.",
        )
    )
    assert keys(engine.related("en", limit=2))[0].startswith("etf")


def test_tiny_engines():
    assert RelatedEngine.build([]).related("x") == []
    single = RelatedEngine.build([Document(key=1, title="Allein")])
    assert single.related(1) == []
    pair = RelatedEngine.build([Document(key=1, title="Eins"), Document(key=2, title="Zwei")])
    assert keys(pair.related(1)) == [2]
