"""The kinds of comparison (exchanges, brokers, wallets, Sparpläne, staking): what each
compares, its sort orders and its table. Plain data, so models, forms and blocks can use it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kryptowelt.comparisons import scoring

TRADING_TABLE = "trading"
WALLET_TABLE = "wallet"
SPARPLAN_TABLE = "sparplan"
STAKING_TABLE = "staking"

SORTS_TRADING = {
    "score": "Score",
    "kosten": "Kosten (Referenzorder)",
    "kryptowerte": "Anzahl Kryptowerte",
    "name": "Name",
}
SORTS_WALLET = {
    "score": "Score",
    "kosten": "Gerätepreis",
    "kryptowerte": "Anzahl Kryptowerte",
    "name": "Name",
}
SORTS_SPARPLAN = {"kosten": "Kosten", "name": "Name"}
SORTS_STAKING = {"anteil": "Anbieteranteil", "name": "Name"}


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str
    singular: str
    fields: tuple[str, ...]
    group: str
    intro: str
    table: str = TRADING_TABLE
    sorts: Mapping[str, str] = field(default_factory=lambda: SORTS_TRADING)

    @property
    def default_sort(self) -> str:
        return next(iter(self.sorts))


KINDS = {
    "krypto-boersen": Kind(
        "krypto-boersen",
        "Krypto-Börsen",
        "Krypto-Börse",
        ("kind_exchange",),
        scoring.TRADING,
        "Börsen bringen Käufer und Verkäufer über ein Orderbuch zusammen. Sie zahlen eine "
        "Handelsgebühr (Maker oder Taker); den Kurs bestimmt der Markt.",
    ),
    "broker": Kind(
        "broker",
        "Broker und Neobroker",
        "Broker",
        ("kind_broker",),
        scoring.TRADING,
        "Broker stellen den Kurs selbst oder leiten Ihre Order weiter. Kosten stecken oft im "
        "Spread – dem Aufschlag auf den Marktpreis – und in festen Gebühren je Order.",
    ),
    "wallets": Kind(
        "wallets",
        "Wallets",
        "Wallet",
        ("kind_wallet_hardware", "kind_wallet_software"),
        scoring.WALLET,
        "Mit einer eigenen Wallet verwahren Sie die Schlüssel zu Ihren Kryptowerten selbst – "
        "als Hardware-Gerät oder als App. Verglichen werden Preis, quelloffene Software, "
        "Secure-Element-Chip und unterstützte Kryptowerte.",
        table=WALLET_TABLE,
        sorts=SORTS_WALLET,
    ),
    "sparplaene": Kind(
        "sparplaene",
        "Krypto-Sparpläne",
        "Sparplan",
        ("kind_sparplan",),
        scoring.TRADING,
        "Mit einem Sparplan kaufen Sie regelmäßig für einen festen Betrag. Entscheidend sind "
        "die Kosten je Ausführung, die Mindestrate und die Intervalle – wir reihen die "
        "Sparpläne nach den Kosten eines Plans über 50 € im Monat und 12 Monate.",
        table=SPARPLAN_TABLE,
        sorts=SORTS_SPARPLAN,
    ),
    "staking": Kind(
        "staking",
        "Staking-Anbieter",
        "Staking",
        ("kind_staking",),
        scoring.TRADING,
        "Beim Staking stellen Sie Kryptowerte für den Betrieb einer Blockchain bereit und "
        "erhalten dafür Erträge – abzüglich des Anteils, den der Anbieter einbehält. "
        "Verglichen werden Kryptowerte, Anteil des Anbieters und Sperrfristen.",
        table=STAKING_TABLE,
        sorts=SORTS_STAKING,
    ),
}
