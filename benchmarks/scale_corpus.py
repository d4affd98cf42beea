"""Synthetic German crypto articles for benchmarks/scale_100k.py (no Django imports).

Every word list and sentence pattern here is written for this benchmark; nothing is taken
from real articles. Sentences are built from patterns with slots (a coin, an actor, a verb,
a figure …), so the texts have the length, word mix and vocabulary size of real news
articles (600–1,500 words, a few thousand distinct words across the corpus) without
meaning anything. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import uuid

COINS = (
    "Bitcoin Ethereum Solana Cardano Ripple Polkadot Dogecoin Litecoin Chainlink Avalanche "
    "Polygon Tron Stellar Monero Cosmos Uniswap Tezos Algorand Aptos Arbitrum Optimism "
    "Filecoin Hedera Toncoin Shiba"
).split()
TICKERS = "BTC ETH SOL ADA XRP DOT DOGE LTC LINK AVAX MATIC TRX XLM XMR ATOM UNI".split()
TOPICS = (
    "Regulierung Steuern Börsen Wallets Sicherheit Mining Halving ETF Stablecoins DeFi NFT "
    "Staking Blockchain Zentralbanken Geldwäsche Datenschutz Hackerangriffe Marktanalyse "
    "Altcoins Layer-2 Smart-Contracts Kryptosteuer MiCA Verwahrung Derivate Sparplan "
    "Energieverbrauch Token Airdrops Krypto-Karten"
).split()
ACTORS = (
    "die Bundesanstalt für Finanzdienstleistungsaufsicht|die Europäische Zentralbank|"
    "das Bundesfinanzministerium|die US-Börsenaufsicht|große Vermögensverwalter|"
    "private Anlegerinnen und Anleger|institutionelle Investoren|die Entwickler des Netzwerks|"
    "mehrere Handelsplätze|Analysten einer Frankfurter Bank|die Verbraucherzentrale|"
    "ein Zusammenschluss europäischer Banken|die Betreiber der Plattform|Mining-Unternehmen|"
    "Steuerberaterinnen und Steuerberater|die Bundesregierung|das Europäische Parlament|"
    "Kleinanleger in Deutschland|Fondsgesellschaften|die Sparkassen|Neobroker"
).split("|")
VERBS_PRESENT = (
    "prüfen|erwarten|kritisieren|begrüßen|beobachten|fordern|bestätigen|analysieren|"
    "unterstützen|diskutieren|melden|planen|bewerten|verschieben|veröffentlichen|verlangen"
).split("|")
OBJECTS = (
    "neue Regeln für Kryptowerte|eine strengere Aufsicht über Handelsplätze|"
    "die Einführung eines digitalen Euro|höhere Sicherheitsanforderungen für Verwahrer|"
    "eine einheitliche Besteuerung von Kursgewinnen|die Zulassung weiterer Indexfonds|"
    "transparente Angaben zum Energieverbrauch|bessere Informationen für Privatanleger|"
    "eine Obergrenze für Stablecoins|die Meldepflicht für Transaktionen|"
    "klare Vorgaben für die Werbung mit Renditen|mehr Schutz vor Betrugsmaschen|"
    "schnellere Auszahlungen|niedrigere Handelsgebühren|eine Prüfung der Reserven|"
    "die Abspaltung des Netzwerks|ein Upgrade der Blockchain|neue Staking-Angebote"
).split("|")
ADVERBIALS = (
    "in den vergangenen Wochen|seit Jahresbeginn|nach Angaben des Unternehmens|"
    "laut einer aktuellen Umfrage|im Vergleich zum Vorjahr|trotz der hohen Schwankungen|"
    "am Wochenende|im frühen Handel|nach Börsenschluss in New York|zum ersten Mal|"
    "auf Monatssicht|innerhalb von 24 Stunden|im europäischen Handel|bis zum Quartalsende|"
    "nach dem jüngsten Kursrutsch|vor dem nächsten Halving|aus Sicht vieler Fachleute"
).split("|")
MARKET_NOUNS = (
    "Kurs|Marktwert|Handelsvolumen|Anteil am Gesamtmarkt|Netzwerkgebühren|Hashrate|"
    "Zahl der aktiven Adressen|Kapitalzufluss|Finanzierungsrate|offene Interesse"
).split("|")
MOVES = (
    "stieg|fiel|kletterte|sank|legte zu|gab nach|erholte sich|schwankte|stabilisierte sich|"
    "brach ein|zog an|notierte unverändert"
).split("|")
FILLER = (
    "Damit bleibt die Lage für Anlegerinnen und Anleger unübersichtlich.|"
    "Wer investieren möchte, sollte nur Geld einsetzen, dessen Verlust er verkraften kann.|"
    "Fachleute raten dazu, die eigene Strategie regelmäßig zu überprüfen.|"
    "Ein Totalverlust ist bei Kryptowährungen grundsätzlich nicht ausgeschlossen.|"
    "Wie sich die Entscheidung langfristig auswirkt, ist noch offen.|"
    "Die Gebühren unterscheiden sich je nach Anbieter deutlich.|"
    "Gewinne aus privaten Veräußerungsgeschäften sind nach einem Jahr Haltedauer steuerfrei.|"
    "Eine Hardware-Wallet schützt die privaten Schlüssel vor Angriffen aus dem Netz.|"
    "Die Blockchain speichert jede Transaktion dauerhaft und öffentlich einsehbar.|"
    "Kritiker verweisen auf den hohen Stromverbrauch des Netzwerks."
).split("|")
HEADINGS = (
    "Was Anleger jetzt wissen müssen|Die wichtigsten Zahlen|So reagiert der Markt|"
    "Was Fachleute sagen|Hintergrund|Wie es weitergeht|Chancen und Risiken|"
    "Was das für Privatanleger bedeutet|Ein Blick auf die Konkurrenz|Steuerliche Folgen|"
    "Sicherheit und Verwahrung|Technische Einordnung"
).split("|")
TITLE_PATTERNS = (
    "{coin}-Kurs {move_title}: {heading}",
    "{actor_title} {verb} {object}",
    "{topic}: {heading}",
    "{coin} und {coin2} im Vergleich: {heading}",
    "Neue Studie zu {topic}: {heading}",
    "{coin} {move_title} {adverbial}",
)
MOVES_TITLE = "steigt|fällt|klettert|sinkt|erholt sich|schwankt|bricht ein|zieht an".split("|")
FIRST_NAMES = (
    "Anna Lukas Miriam Jonas Fatma Felix Sophie Tobias Lea Jan Katrin Murat Julia Stefan "
    "Hannah Tim Elif Moritz Laura David"
).split()
LAST_NAMES = (
    "Becker Schneider Yilmaz Hoffmann Wagner Krüger Neumann Schulz Richter Wolf Braun "
    "Zimmermann Hartmann Lange Kaya Vogel Franke Albrecht Berger Roth"
).split()


def author_names(count: int, rng: random.Random) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in names:
            names.append(name)
    return names


def topic_names() -> list[str]:
    return [*COINS, *TOPICS]


class ArticleWriter:
    """Titles, teasers and bodies (StreamField raw data) of synthetic articles."""

    def __init__(self, seed: int = 100_000):
        self.rng = random.Random(seed)

    def _number(self) -> str:
        value = self.rng.uniform(0.5, 99.9)
        return f"{value:.1f}".replace(".", ",")

    def sentence(self, coin: str, topic: str) -> str:
        rng = self.rng
        kind = rng.randrange(6)
        if kind == 0:
            return (
                f"Der {rng.choice(MARKET_NOUNS)} von {coin} {rng.choice(MOVES)} "
                f"{rng.choice(ADVERBIALS)} um {self._number()} Prozent."
            )
        if kind == 1:
            actor = rng.choice(ACTORS)
            return (
                f"{actor[0].upper()}{actor[1:]} {rng.choice(VERBS_PRESENT)} {rng.choice(OBJECTS)}."
            )
        if kind == 2:
            return (
                f"{rng.choice(ADVERBIALS).capitalize()} spielt das Thema {topic} eine "
                f"größere Rolle, etwa für {rng.choice(ACTORS)}."
            )
        if kind == 3:
            ticker = rng.choice(TICKERS)
            return (
                f"Ein {ticker}-Token kostete zuletzt {self._number()} Euro, nachdem der "
                f"Wert {rng.choice(ADVERBIALS)} {rng.choice(MOVES)}."
            )
        if kind == 4:
            return (
                f"Im Zusammenhang mit {coin} {rng.choice(VERBS_PRESENT)} "
                f"{rng.choice(ACTORS)} {rng.choice(OBJECTS)}."
            )
        return rng.choice(FILLER)

    def title(self, coin: str, coin2: str, topic: str) -> str:
        rng = self.rng
        actor = rng.choice(ACTORS)
        return rng.choice(TITLE_PATTERNS).format(
            coin=coin,
            coin2=coin2,
            topic=topic,
            heading=rng.choice(HEADINGS),
            move_title=rng.choice(MOVES_TITLE),
            actor_title=actor[0].upper() + actor[1:],
            verb=rng.choice(VERBS_PRESENT),
            object=rng.choice(OBJECTS),
            adverbial=rng.choice(ADVERBIALS),
        )[:250]

    def article(self) -> dict:
        """title, teaser, body (list of raw StreamField blocks), words, coin, topic."""
        rng = self.rng
        coin, coin2 = rng.sample(COINS, 2)
        topic = rng.choice(TOPICS)
        target = rng.randint(600, 1500)
        blocks, count = [], 0
        teaser = " ".join(self.sentence(coin, topic) for _ in range(2))[:590]
        while count < target:
            if blocks and rng.random() < 0.18:
                text = rng.choice(HEADINGS)
                blocks.append(_block("heading", {"text": text, "level": "h2"}))
                count += len(text.split())
                continue
            paragraph = " ".join(self.sentence(coin, topic) for _ in range(rng.randint(3, 6)))
            count += len(paragraph.split())
            blocks.append(_block("paragraph", f"<p>{paragraph}</p>"))
        return {
            "title": self.title(coin, coin2, topic),
            "teaser": teaser,
            "body": blocks,
            "words": count + len(teaser.split()),
            "tags": sorted({coin, topic, *rng.sample(TOPICS, rng.randint(0, 2))}),
        }


def _block(kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}
