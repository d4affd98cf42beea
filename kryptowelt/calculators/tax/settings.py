"""The choices a reader makes for the calculation, with the German text that explains each
choice and its source (shown next to the form, on the result page and in the documentation
pack). The defaults follow the tax administration.

- `method`: the order in which units of a coin are used up. FIFO ("first in, first out") is
  the tax administration's method (BMF letter of 6 March 2025, IV C 1 – S 2256/00042/064/043;
  for foreign currencies it is the law, § 23 Abs. 1 Satz 1 Nr. 2 Satz 3 EStG). LIFO ("last in,
  first out") was accepted by FG Nürnberg, Urteil vom 22. Januar 2025, 3 K 760/22, if applied
  consistently – against the BMF; whoever uses it must expect a dispute with the Finanzamt.
- `prices`: how coins without a euro price in the export (swaps, staking, coin fees) and all
  market valuations are valued. "exakt": the exchange's own price at the moment of the
  transaction where the export has one, else our daily close. "tag": our daily close for every
  market valuation, consistently. The BMF letter allows either a price at the moment of the
  transaction or a daily price (Tagesdurchschnitts-, Tageszeit- or Tagesschlusskurs) used
  consistently and documented (BMF 6 March 2025, section on the price of crypto assets; the
  letter names exchanges and web lists such as CoinGecko as sources – Rn. not verified
  offline, summarised after the FGS blog on the letter). Purchases and sales for euros are never re-valued: what
  was paid or received counts.
- `rewards`: when rewards that cannot be used at once count as received (Zufluss, § 11 EStG).
  "gutschrift" (default): on the day the export credits them – the BMF's view (Rn. 13 and 48a
  of the letter: income once the reward is credited or can be claimed, not only when the
  reader claims it). "verfuegbar": only from the day the reward becomes available (our
  format's column `Verfuegbar_ab`), valued on that day – the view of part of the literature
  (Haufe, Gierlich/Heuel: locked rewards flow only when the lock ends). Rows without such a
  date are the same under both choices.
- `carry_back`: § 10d Abs. 1 EStG carries a § 23 loss back into the preceding year first
  (§ 23 Abs. 3 Satz 8 EStG); the reader may ask the Finanzamt to refrain from it (§ 10d Abs. 1
  Satz 5 EStG), then the whole loss is carried forward.
- `carryforward` / `carryforward_year`: a remaining § 23 loss from years before the upload, as
  the Finanzamt stated it (gesonderte Feststellung, § 10d Abs. 4 EStG) at 31 December of
  `carryforward_year`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kryptowelt.calculators.tax.rules import ZERO

METHODS = {
    "fifo": "FIFO – zuerst angeschaffte Einheiten zuerst (Verwaltungsauffassung)",
    "lifo": "LIFO – zuletzt angeschaffte Einheiten zuerst (FG Nürnberg, gegen das BMF)",
}
PRICE_MODES = {
    "exakt": "Transaktionsgenau: Kurs der Börse zum Zeitpunkt, sonst Tagesschlusskurs",
    "tag": "Tageskurse: einheitlich der Tagesschlusskurs für jede Marktbewertung",
}
REWARD_TIMINGS = {
    "gutschrift": "Zufluss bei Gutschrift (BMF)",
    "verfuegbar": "Zufluss erst, wenn die Rewards verfügbar sind (Teil der Fachliteratur)",
}

METHOD_NOTES = {
    "fifo": (
        "Verkaufte Einheiten sind die zuerst angeschafften, je Coin über alle hochgeladenen "
        "Börsen und Wallets. So rechnet die Finanzverwaltung (BMF-Schreiben vom 6. März 2025, "
        "IV C 1 – S 2256/00042/064/043; für Fremdwährungen gesetzlich: § 23 Abs. 1 Satz 1 "
        "Nr. 2 Satz 3 EStG)."
    ),
    "lifo": (
        "Achtung: LIFO folgt dem Urteil des FG Nürnberg vom 22. Januar 2025 (3 K 760/22), das "
        "LIFO bei einheitlicher Anwendung zulässt – gegen die Auffassung des BMF, das FIFO "
        "anwendet. Das Finanzamt wird LIFO voraussichtlich nicht akzeptieren; rechnen Sie "
        "mit Einspruch und Klage, wenn Sie LIFO erklären."
    ),
}
PRICE_NOTES = {
    "exakt": (
        "Marktbewertungen (Tausch, Staking, Gebühren in Coins) mit dem Kurs, den die Börse "
        "im Export zum Zeitpunkt der Transaktion nennt; fehlt er, mit dem Tagesschlusskurs in "
        "Euro aus den bei Kryptowelt gespeicherten Kursen (Quelle CoinGecko). Das BMF-"
        "Schreiben erlaubt den Kurs einer Handelsplattform oder einer Kursliste wie CoinGecko "
        "(BMF-Schreiben vom 6. März 2025)."
    ),
    "tag": (
        "Jede Marktbewertung (Tausch, Staking, Gebühren in Coins) einheitlich mit dem "
        "Tagesschlusskurs in Euro aus den bei Kryptowelt gespeicherten Kursen (Quelle "
        "CoinGecko). Das BMF lässt einen Tageskurs zu, wenn er einheitlich verwendet und "
        "dokumentiert wird (BMF-Schreiben vom 6. März 2025). Käufe und Verkäufe gegen Euro "
        "zählen immer mit dem tatsächlich gezahlten oder erhaltenen Betrag."
    ),
}
REWARD_NOTES = {
    "gutschrift": (
        "Staking- und ähnliche Rewards gelten am Tag der Gutschrift laut Export als "
        "zugeflossen, auch wenn sie noch gesperrt sind oder erst geclaimt werden müssen. So "
        "sieht es das BMF (Schreiben vom 6. März 2025, Rn. 13 und 48a: Zufluss, sobald der "
        "Reward gutgeschrieben ist oder geclaimt werden kann)."
    ),
    "verfuegbar": (
        "Rewards mit einem Datum in der Spalte Verfuegbar_ab (unser Format) gelten erst an "
        "diesem Tag als zugeflossen und werden mit dem Kurs dieses Tages bewertet. Diese "
        "Auffassung vertritt ein Teil der Fachliteratur (u. a. Gierlich/Heuel bei Haufe: "
        "Solange Rewards zwingend gesperrt sind, fließen sie nicht zu) – das BMF sieht es "
        "anders (Rn. 13 und 48a), rechnen Sie mit Nachfragen des Finanzamts."
    ),
}
CARRY_BACK_NOTES = {
    True: (
        "Ein Verlust aus privaten Veräußerungsgeschäften wird zuerst in das Vorjahr "
        "zurückgetragen und mindert dort die Gewinne aus § 23 EStG, der Rest wird "
        "vorgetragen (§ 23 Abs. 3 Satz 8 EStG i. V. m. § 10d Abs. 1 EStG)."
    ),
    False: (
        "Sie beantragen, vom Verlustrücktrag abzusehen (§ 10d Abs. 1 Satz 5 EStG): Der "
        "ganze Verlust wird in die Folgejahre vorgetragen."
    ),
}


@dataclass(frozen=True)
class TaxSettings:
    method: str = "fifo"
    prices: str = "exakt"
    rewards: str = "gutschrift"
    carry_back: bool = True
    carryforward: Decimal = ZERO  # remaining § 23 loss before the upload (positive)
    carryforward_year: int | None = None  # … as stated at 31 December of this year

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}")
        if self.prices not in PRICE_MODES:
            raise ValueError(f"unknown price mode {self.prices!r}")
        if self.rewards not in REWARD_TIMINGS:
            raise ValueError(f"unknown reward timing {self.rewards!r}")
        if self.carryforward < 0:
            raise ValueError("carryforward must not be negative")

    def described(self) -> list[tuple[str, str, str]]:
        """(setting, choice, German explanation with source) for the page and the pack."""
        rows = [
            ("Verbrauchsfolge", METHODS[self.method], METHOD_NOTES[self.method]),
            ("Kurse", PRICE_MODES[self.prices], PRICE_NOTES[self.prices]),
            ("Zufluss von Rewards", REWARD_TIMINGS[self.rewards], REWARD_NOTES[self.rewards]),
            (
                "Verlustrücktrag",
                "ja" if self.carry_back else "nein (Antrag nach § 10d Abs. 1 Satz 5 EStG)",
                CARRY_BACK_NOTES[self.carry_back],
            ),
        ]
        if self.carryforward:
            amount = format(self.carryforward.quantize(Decimal("0.01")), "f").replace(".", ",")
            rows.append(
                (
                    "Verlustvortrag aus Vorjahren",
                    f"{amount} € zum 31.12.{self.carryforward_year}",
                    "Verbleibender Verlustvortrag aus privaten Veräußerungsgeschäften laut "
                    "Feststellungsbescheid (§ 10d Abs. 4 EStG), mit Gewinnen der Folgejahre "
                    "verrechnet.",
                )
            )
        return rows
