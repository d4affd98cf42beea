"""The Kryptowelt score: computed from a provider's verified figures, never typed in.

Each criterion gives 0–100 points by a published formula (see CRITERIA and /vergleich/methodik/).
A figure that is missing or has no source is *left out*, never counted as 0 points:

- within a criterion, the points of the checked parts are scaled to their maximum
  (e.g. 2FA checked = 30 of 30 possible points -> 100);
- a criterion without any checked part is left out of the total, and the weights of the
  remaining criteria are renormalised;
- the *coverage* says on how much of the (weighted) method a score rests: the share of each
  criterion's maximum that is checked, weighted like the criteria. Below MIN_COVERAGE_PCT a
  provider is not ranked ("zu wenige geprüfte Angaben").

Criterion points are rounded to one decimal first; the total is the weighted mean of those
rounded points over the rated criteria, again rounded to one decimal, so anyone can recompute
every score shown from the table on the method page.

Pure Python; no Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kryptowelt.comparisons.facts import Fact, FactSet
from kryptowelt.comparisons.fees import CostResult

TENTH = Decimal("0.1")
HUNDRED = Decimal(100)

TRADING = "handel"
WALLET = "wallet"

# Reference order for the cost criterion (trading platforms).
REFERENCE_AMOUNT = Decimal(500)
# Costs at or above this share of the order give 0 cost points.
COST_ZERO_PCT = Decimal(3)
# Hardware wallets at or above this price give 0 cost points.
PRICE_ZERO_EUR = Decimal(300)
COINS_FULL_TRADING = 200
COINS_FULL_WALLET = 1000
# A score resting on less than this share of the weighted criteria is not ranked.
MIN_COVERAGE_PCT = 50


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    default_weight: int
    trading_formula: str
    wallet_formula: str


CRITERIA = (
    Criterion(
        "kosten",
        "Kosten",
        35,
        "Kosten einer Referenzorder (500 € Bitcoin, einmalig, Einzahlung per SEPA) nach dem "
        "Gebührenmodell: 0 % Kosten = 100 Punkte, 3 % oder mehr = 0 Punkte, linear dazwischen.",
        "Gerätepreis: 0 € = 100 Punkte, 300 € oder mehr = 0 Punkte, linear dazwischen.",
    ),
    Criterion(
        "regulierung",
        "Regulierung",
        25,
        "MiCA-Zulassung als Kryptowerte-Dienstleister: 80 Punkte. Zusätzlich 20 Punkte, wenn die "
        "BaFin die Zulassung erteilt hat (deutsche Aufsicht und Beschwerdewege). Beides steht "
        "im ESMA-Register; ohne geprüfte Zulassungsangabe entfällt das Kriterium.",
        "Entfällt: Wallet-Hersteller verwahren keine Kundengelder. Das Gewicht zählt nicht mit.",
    ),
    Criterion(
        "sicherheit",
        "Sicherheit",
        20,
        "Zwei-Faktor-Authentisierung 30 Punkte, Anteil in Cold Storage bis 30 Punkte "
        "(100 % = 30), Reservennachweis 20 Punkte, Versicherung 20 Punkte.",
        "Quelloffene Firmware/Software 50 Punkte, Secure-Element-Chip 50 Punkte.",
    ),
    Criterion(
        "angebot",
        "Angebot",
        10,
        "Anzahl Kryptowerte bis 40 Punkte (200 oder mehr = 40), Sparplan 30 Punkte, "
        "Staking 30 Punkte.",
        "Anzahl unterstützter Kryptowerte: 1.000 oder mehr = 100 Punkte, linear darunter.",
    ),
    Criterion(
        "service",
        "Service",
        10,
        "Deutschsprachige Hilfe: 100 Punkte.",
        "Deutschsprachige Hilfe: 100 Punkte.",
    ),
)
CRITERIA_BY_KEY = {criterion.key: criterion for criterion in CRITERIA}
DEFAULT_WEIGHTS = {criterion.key: criterion.default_weight for criterion in CRITERIA}


@dataclass(frozen=True)
class Part:
    label: str
    points: Decimal
    maximum: int
    checked: bool  # False: the figure is missing or has no source


@dataclass(frozen=True)
class CriterionScore:
    key: str
    label: str
    applicable: bool
    points: Decimal | None  # 0–100, rounded to 0.1; None: no part checked, left out
    parts: tuple[Part, ...]

    @property
    def rated(self) -> bool:
        return self.applicable and self.points is not None

    @property
    def unchecked(self) -> list[str]:
        return [part.label for part in self.parts if not part.checked]

    @property
    def checked_share(self) -> Decimal:
        """Share (0–1) of the criterion's maximum points that rests on checked figures."""
        maximum = sum(part.maximum for part in self.parts)
        if maximum <= 0:
            return Decimal(0)
        return Decimal(sum(part.maximum for part in self.parts if part.checked)) / maximum


@dataclass(frozen=True)
class Score:
    criteria: tuple[CriterionScore, ...]
    total: Decimal | None  # 0–100, rounded to 0.1; None: no criterion rated
    coverage: int  # percent of the weighted criteria that rests on checked figures

    def criterion(self, key: str) -> CriterionScore:
        return next(item for item in self.criteria if item.key == key)

    @property
    def ranked(self) -> bool:
        """Enough checked figures to be ranked (the page lists the others apart, unranked)."""
        return self.total is not None and self.coverage >= MIN_COVERAGE_PCT

    @property
    def checked_parts(self) -> int:
        return sum(1 for c in self.criteria if c.applicable for p in c.parts if p.checked)

    @property
    def all_parts(self) -> int:
        return sum(len(c.parts) for c in self.criteria if c.applicable)


def _round(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _linear_down(value: Decimal, zero_at: Decimal) -> Decimal:
    """100 at 0, 0 at `zero_at` and above."""
    if value <= 0:
        return HUNDRED
    return max(Decimal(0), HUNDRED - value * HUNDRED / zero_at)


def _flag(facts: FactSet, key: str, label: str, points: int) -> Part:
    value = facts.value(key)
    return Part(label, Decimal(points) if value is True else Decimal(0), points, value is not None)


def _criterion(key: str, parts: list[Part], applicable: bool = True) -> CriterionScore:
    """Points of the checked parts, scaled to the checked parts' maximum (None if none)."""
    checked = [part for part in parts if part.checked]
    maximum = sum(part.maximum for part in checked)
    points = None
    if applicable and maximum > 0:
        total = sum((part.points for part in checked), Decimal(0))
        points = _round(min(total * HUNDRED / maximum, HUNDRED))
    return CriterionScore(
        key=key,
        label=CRITERIA_BY_KEY[key].label,
        applicable=applicable,
        points=points,
        parts=tuple(parts),
    )


def trading_criteria(*, facts: FactSet, reference_cost: CostResult) -> list[CriterionScore]:
    cost_pct = reference_cost.percent
    cost = Part(
        "Kosten der Referenzorder",
        Decimal(0) if cost_pct is None else _linear_down(cost_pct, COST_ZERO_PCT),
        100,
        cost_pct is not None,
    )
    mica = facts.verified("mica")
    by_bafin = mica is not None and mica.flag is True and bafin_authorised(mica)
    regulation = [
        Part("MiCA-Zulassung", Decimal(80) if mica and mica.flag else Decimal(0), 80, bool(mica)),
        Part("Zulassung durch die BaFin", Decimal(20) if by_bafin else Decimal(0), 20, bool(mica)),
    ]
    cold = facts.value("cold_storage_pct")
    security = [
        _flag(facts, "twofa", "Zwei-Faktor-Authentisierung", 30),
        Part(
            "Anteil in Cold Storage",
            Decimal(0) if cold is None else cold * Decimal("0.3"),
            30,
            cold is not None,
        ),
        _flag(facts, "proof_of_reserves", "Reservennachweis", 20),
        _flag(facts, "insurance", "Versicherung", 20),
    ]
    coins = facts.value("coins")
    offer = [
        Part(
            "Anzahl Kryptowerte",
            Decimal(0)
            if coins is None
            else Decimal(min(coins, COINS_FULL_TRADING)) * 40 / COINS_FULL_TRADING,
            40,
            coins is not None,
        ),
        _flag(facts, "sparplan", "Sparplan", 30),
        _flag(facts, "staking", "Staking", 30),
    ]
    return [
        _criterion("kosten", [cost]),
        _criterion("regulierung", regulation),
        _criterion("sicherheit", security),
        _criterion("angebot", offer),
        _criterion("service", [_flag(facts, "german_support", "Deutschsprachige Hilfe", 100)]),
    ]


def wallet_criteria(*, facts: FactSet) -> list[CriterionScore]:
    price = facts.value("device_price_eur")
    coins = facts.value("coins")
    return [
        _criterion(
            "kosten",
            [
                Part(
                    "Gerätepreis",
                    Decimal(0) if price is None else _linear_down(price, PRICE_ZERO_EUR),
                    100,
                    price is not None,
                )
            ],
        ),
        _criterion("regulierung", [], applicable=False),
        _criterion(
            "sicherheit",
            [
                _flag(facts, "open_source", "Quelloffene Firmware/Software", 50),
                _flag(facts, "secure_element", "Secure-Element-Chip", 50),
            ],
        ),
        _criterion(
            "angebot",
            [
                Part(
                    "Unterstützte Kryptowerte",
                    Decimal(0)
                    if coins is None
                    else Decimal(min(coins, COINS_FULL_WALLET)) * 100 / COINS_FULL_WALLET,
                    100,
                    coins is not None,
                )
            ],
        ),
        _criterion("service", [_flag(facts, "german_support", "Deutschsprachige Hilfe", 100)]),
    ]


def bafin_authorised(mica: Fact) -> bool:
    """The MiCA authorisation names the BaFin as (one of) the granting authorities."""
    return "BaFin" in mica.text


def weighted_total(criteria: list[CriterionScore], weights: Mapping[str, int]) -> Decimal | None:
    """Weighted mean of the (rounded) criterion points over the rated criteria: criteria
    without a checked figure are left out and the other weights renormalised. None if no
    criterion with a weight above 0 is rated."""
    rated = [c for c in criteria if c.rated and weights.get(c.key, 0) > 0]
    weight_sum = sum(weights.get(c.key, 0) for c in rated)
    if weight_sum <= 0:
        return None
    total = sum((c.points * weights.get(c.key, 0) for c in rated), Decimal(0))
    return _round(total / weight_sum)


def coverage_pct(criteria: list[CriterionScore], weights: Mapping[str, int]) -> int:
    """How much of the weighted method rests on checked figures, in whole percent (half up):
    sum of weight × checked share over the applicable criteria / sum of their weights."""
    applicable = [c for c in criteria if c.applicable]
    weight_sum = sum(weights.get(c.key, 0) for c in applicable)
    if weight_sum <= 0:
        return 0
    covered = sum((c.checked_share * weights.get(c.key, 0) for c in applicable), Decimal(0))
    return int((covered * HUNDRED / weight_sum).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def provider_score(
    *,
    group: str,
    facts: FactSet,
    reference_cost: CostResult | None,
    weights: Mapping[str, int],
) -> Score:
    if group == WALLET:
        criteria = wallet_criteria(facts=facts)
    else:
        criteria = trading_criteria(facts=facts, reference_cost=reference_cost)
    return Score(
        criteria=tuple(criteria),
        total=weighted_total(criteria, weights),
        coverage=coverage_pct(criteria, weights),
    )
