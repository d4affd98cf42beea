"""The score: computed from verified figures with the published formulas."""

import datetime as dt
from decimal import Decimal

from kryptowelt.comparisons import fees, scoring
from kryptowelt.comparisons.facts import Fact, FactSet

D = Decimal
CHECKED = dt.date(2025, 3, 1)
SRC = "https://example.org/quelle"


def fact(key, **kwargs):
    return Fact(key, source=SRC, checked=CHECKED, **kwargs)


def reference(total_pct):
    """A reference-order result whose costs are `total_pct` of 500 €."""
    schedule = fees.FeeSchedule(
        pricing=fees.ORDERBOOK,
        taker_pct=D(total_pct),
        fixed_eur=D(0),
        deposits={"sepa": (D(0), D(0))},
    )
    return fees.order_cost(schedule=schedule, order=fees.Order(amount=scoring.REFERENCE_AMOUNT))


def test_trading_criteria_follow_the_published_formulas():
    facts = FactSet(
        [
            fact("mica", flag=True, text="BaFin (Deutschland)"),
            fact("bafin", text="Verwahrung"),
            fact("twofa", flag=True),
            fact("cold_storage_pct", number=D(90)),
            fact("coins", number=D(100)),
            fact("sparplan", flag=True),
            fact("staking", flag=False),
            fact("german_support", flag=True),
        ]
    )
    score = scoring.provider_score(
        group=scoring.TRADING,
        facts=facts,
        reference_cost=reference("0.75"),
        weights=scoring.DEFAULT_WEIGHTS,
    )
    points = {c.key: c.points for c in score.criteria}
    assert points == {
        "kosten": D("75.0"),  # 0,75 % of 3 % -> 100 - 25
        "regulierung": D("100.0"),  # MiCA 80 + granted by the BaFin 20
        # Checked: 2FA 30 of 30, cold storage 27 of 30 -> 57 of 60 possible = 95.
        # Proof of reserves and insurance are not checked and left out (not 0 points).
        "sicherheit": D("95.0"),
        "angebot": D("50.0"),  # 100/200 × 40 + 30 (Sparplan) + 0 (no staking), all checked
        "service": D("100.0"),
    }
    assert score.criterion("sicherheit").unchecked == ["Reservennachweis", "Versicherung"]
    # (75 × 35 + 100 × 25 + 95 × 20 + 50 × 10 + 100 × 10) / 100 = 85,25 -> 85,3
    assert score.total == D("85.3")
    # Coverage: 35 + 25 + 20 × 60/100 + 10 + 10 = 92 of 100 weighted points.
    assert score.coverage == 92
    assert score.ranked


def test_missing_figures_are_left_out_never_zero_points():
    facts = FactSet([Fact("mica", flag=True)])  # no source: not verified
    score = scoring.provider_score(
        group=scoring.TRADING,
        facts=facts,
        reference_cost=fees.CostResult(status="missing", invested=D(500), missing=("taker_pct",)),
        weights=scoring.DEFAULT_WEIGHTS,
    )
    assert score.total is None  # nothing checked: no score at all, not 0
    assert score.coverage == 0
    assert not score.ranked
    regulation = score.criterion("regulierung")
    assert regulation.points is None and not regulation.rated
    assert regulation.unchecked == ["MiCA-Zulassung", "Zulassung durch die BaFin"]
    assert score.criterion("kosten").unchecked == ["Kosten der Referenzorder"]
    assert score.checked_parts == 0


def test_unknown_criterion_is_left_out_and_the_weights_renormalised():
    # Only costs (0,6 % of 500 € -> 100 - 20 = 80 points) and the German help centre
    # (100 points) are checked; regulation, security and offer are left out.
    facts = FactSet([fact("german_support", flag=True)])
    score = scoring.provider_score(
        group=scoring.TRADING,
        facts=facts,
        reference_cost=reference("0.6"),
        weights=scoring.DEFAULT_WEIGHTS,
    )
    # (80 × 35 + 100 × 10) / (35 + 10) = 3800 / 45 = 84,44… -> 84,4
    assert score.total == D("84.4")
    # Coverage: (35 + 10) / 100 = 45 % -> below 50 %: listed, but not ranked.
    assert score.coverage == 45
    assert not score.ranked
    assert scoring.MIN_COVERAGE_PCT == 50


def test_regulation_without_bafin_gives_80_points_and_is_fully_checked():
    facts = FactSet([fact("mica", flag=True, text="AFM (Niederlande)")])
    criteria = scoring.trading_criteria(facts=facts, reference_cost=reference("0"))
    regulation = next(c for c in criteria if c.key == "regulierung")
    assert regulation.points == D("80.0")
    assert regulation.unchecked == []
    refused = FactSet([fact("mica", flag=False)])
    criteria = scoring.trading_criteria(facts=refused, reference_cost=reference("0"))
    assert next(c for c in criteria if c.key == "regulierung").points == 0


def test_costs_at_or_above_three_percent_give_zero_points():
    low = scoring.trading_criteria(facts=FactSet([]), reference_cost=reference("0"))
    high = scoring.trading_criteria(facts=FactSet([]), reference_cost=reference("3.5"))
    assert low[0].points == 100
    assert high[0].points == 0


def test_wallets_skip_regulation_and_use_device_price():
    facts = FactSet(
        [
            fact("device_price_eur", number=D(150)),
            fact("open_source", flag=True),
            fact("secure_element", flag=False),
            fact("german_support", flag=True),
        ]
    )
    weights = {"kosten": 10, "regulierung": 90, "sicherheit": 10, "angebot": 0, "service": 0}
    score = scoring.provider_score(
        group=scoring.WALLET, facts=facts, reference_cost=None, weights=weights
    )
    assert not score.criterion("regulierung").applicable
    assert score.criterion("kosten").points == D("50.0")
    assert score.criterion("sicherheit").points == D("50.0")
    # Regulation's weight does not count: (50 × 10 + 50 × 10) / 20.
    assert score.total == D("50.0")


def test_changed_weights_change_the_total_and_the_coverage():
    facts = FactSet([fact("german_support", flag=True)])
    criteria = scoring.trading_criteria(facts=facts, reference_cost=reference("0"))
    only_service = {"kosten": 0, "regulierung": 0, "sicherheit": 0, "angebot": 0, "service": 1}
    only_cost = {**only_service, "service": 0, "kosten": 1}
    assert scoring.weighted_total(criteria, only_service) == 100
    assert scoring.weighted_total(criteria, only_cost) == 100
    # Regulation is not checked: left out, its weight renormalised away (not 0 points).
    assert scoring.weighted_total(criteria, {**only_cost, "regulierung": 1}) == 100
    # ...but the coverage says the score rests on half of the weighted method.
    assert scoring.coverage_pct(criteria, {**only_cost, "regulierung": 1}) == 50
    assert scoring.weighted_total(criteria, dict.fromkeys(only_cost, 0)) is None
    assert scoring.coverage_pct(criteria, dict.fromkeys(only_cost, 0)) == 0
