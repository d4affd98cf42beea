"""The fee model (pure Python): worked examples and properties that must always hold."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kryptowelt.comparisons import fees
from kryptowelt.comparisons.facts import Fact, FactSet

D = Decimal
ZERO_FEES = {"sepa": (D(0), D(0))}


def schedule(**overrides):
    data = {
        "pricing": fees.ORDERBOOK,
        "taker_pct": D("0.25"),
        "commission_pct": None,
        "spread_pct": None,
        "fixed_eur": D(0),
        "deposits": ZERO_FEES,
    }
    data.update(overrides)
    return fees.FeeSchedule(**data)


def test_orderbook_order_costs_the_taker_fee():
    result = fees.order_cost(schedule=schedule(), order=fees.Order(amount=D(1000)))
    assert result.ok
    assert result.total == D("2.50")
    assert result.percent == D("0.25")
    parts = {part.key: part.eur for part in result.parts}
    assert parts == {"trading": D("2.50"), "spread": D(0), "fixed": D(0), "deposit": D(0)}


def test_broker_order_adds_spread_fixed_fee_and_deposit():
    broker = schedule(
        pricing=fees.BROKER,
        taker_pct=None,
        commission_pct=D("0.5"),
        spread_pct=D("1.49"),
        fixed_eur=D(1),
        deposits={"card": (D("1.8"), D("0.25"))},
    )
    result = fees.order_cost(schedule=broker, order=fees.Order(amount=D(200), method="card"))
    parts = {part.key: part.eur for part in result.parts}
    assert parts == {
        "trading": D("1.00"),
        "spread": D("2.98"),
        "fixed": D("1.00"),
        "deposit": D("3.85"),
    }
    assert result.total == D("8.83")


def test_unknown_fee_is_reported_missing_never_zero():
    broker = schedule(pricing=fees.BROKER, taker_pct=None, commission_pct=D(0), spread_pct=None)
    result = fees.order_cost(schedule=broker, order=fees.Order(amount=D(1000)))
    assert result.status == "missing"
    assert result.total is None
    assert result.missing == ("spread_pct",)

    no_deposit = schedule(deposits={"sepa": None})
    result = fees.order_cost(schedule=no_deposit, order=fees.Order(amount=D(1000), method="paypal"))
    assert result.missing == ("deposit_paypal",)


def test_monthly_plan_uses_sparplan_terms_when_verified():
    plan = schedule(
        pricing=fees.BROKER,
        taker_pct=None,
        commission_pct=D(0),
        spread_pct=D("1"),
        fixed_eur=D(1),
        sparplan=fees.SparplanTerms(available=True, fee_pct=D(0), fee_eur=D(0), min_eur=D(25)),
    )
    order = fees.Order(amount=D(100), interval=fees.MONTHLY, months=12)
    result = fees.order_cost(schedule=plan, order=order)
    assert result.basis == fees.BASIS_SPARPLAN
    assert result.invested == D(1200)
    # 12 × 1 % spread of 100 €; no order fee in the plan.
    assert result.total == D("12.00")

    too_small = fees.Order(amount=D(10), interval=fees.MONTHLY, months=12)
    result = fees.order_cost(schedule=plan, order=too_small)
    assert result.status == "impossible"
    assert "Mindestrate" in result.reason


def test_monthly_plan_without_sparplan_terms_is_computed_as_single_orders():
    order = fees.Order(amount=D(100), interval=fees.MONTHLY, months=6)
    result = fees.order_cost(schedule=schedule(fixed_eur=D(1)), order=order)
    assert result.basis == fees.BASIS_SINGLE
    assert result.total == D("7.50")  # 6 × (0,25 € + 1 €)


def test_schedule_reads_only_verified_figures():
    facts = FactSet(
        [
            Fact("taker_pct", number=D("0.4"), source="https://a.example", checked=_date()),
            Fact("fixed_eur", number=D(0)),  # no source: not verified
            Fact(
                "deposit_sepa",
                number=D(0),
                number_eur=D(0),
                source="https://a.example",
                checked=_date(),
            ),
        ]
    )
    read = fees.schedule_from_facts(facts=facts, pricing=fees.ORDERBOOK, method="sepa")
    assert read.taker_pct == D("0.4")
    assert read.fixed_eur is None
    result = fees.order_cost(schedule=read, order=fees.Order(amount=D(100)))
    assert result.missing == ("fixed_eur",)


def test_coin_specific_spread_wins_over_general_one():
    facts = FactSet(
        [
            Fact("spread_pct", number=D(1), source="https://a.example", checked=_date()),
            Fact(
                "spread_pct", number=D(2), coin="ETH", source="https://a.example", checked=_date()
            ),
        ]
    )
    assert fees.schedule_from_facts(
        facts=facts, pricing=fees.BROKER, method="sepa", coin="ETH"
    ).spread_pct == D(2)
    assert fees.schedule_from_facts(
        facts=facts, pricing=fees.BROKER, method="sepa", coin="BTC"
    ).spread_pct == D(1)


def test_known_parts_give_a_lower_bound_and_an_unpublished_spread_is_named():
    # Broker: 1,5 % commission, 1 € per order, SEPA free, spread not published.
    broker = schedule(
        pricing=fees.BROKER,
        taker_pct=None,
        commission_pct=D("1.5"),
        spread_pct=None,
        fixed_eur=D(1),
        unpublished=frozenset({"spread_pct"}),
    )
    result = fees.order_cost(schedule=broker, order=fees.Order(amount=D(1000)))
    assert result.status == "missing"
    assert result.total is None  # never a total with a part missing
    # 1,5 % of 1.000 € = 15,00 € + 1,00 € + 0,00 € deposit = at least 16,00 €
    assert result.minimum == D("16.00")
    assert result.missing == ("spread_pct",)
    assert result.unpublished == ("spread_pct",)
    assert result.unchecked == ()
    assert [part.key for part in result.parts] == ["trading", "fixed", "deposit"]

    # A deposit fee that is simply not checked is named as such.
    unchecked = fees.order_cost(
        schedule=schedule(deposits={"sepa": None}), order=fees.Order(amount=D(1000))
    )
    assert unchecked.minimum == D("2.50")  # taker 0,25 % of 1.000 €; no provider spread
    assert unchecked.unchecked == ("deposit_sepa",)

    # Nothing known: no lower bound at all (not "mindestens 0 €").
    nothing = fees.FeeSchedule(pricing=fees.BROKER)
    result = fees.order_cost(schedule=nothing, order=fees.Order(amount=D(1000)))
    assert result.minimum is None
    assert result.missing == ("commission_pct", "spread_pct", "fixed_eur", "deposit_sepa")
    # An exchange takes no spread by the model; that alone is no known fee either.
    exchange = fees.order_cost(
        schedule=fees.FeeSchedule(pricing=fees.ORDERBOOK), order=fees.Order(amount=D(1000))
    )
    assert exchange.minimum is None
    assert exchange.missing == ("taker_pct", "fixed_eur", "deposit_sepa")


def test_minimum_commission_applies_when_the_percentage_is_lower():
    broker = schedule(
        pricing=fees.BROKER,
        taker_pct=None,
        commission_pct=D("1.5"),
        commission_min_eur=D(1),
        spread_pct=D(0),
    )
    small = fees.order_cost(schedule=broker, order=fees.Order(amount=D(50)))
    # 1,5 % of 50 € = 0,75 € < 1 € minimum -> 1,00 €
    assert small.total == D("1.00")
    assert "Mindestprovision" in small.parts[0].detail
    big = fees.order_cost(schedule=broker, order=fees.Order(amount=D(200)))
    assert big.total == D("3.00")  # 1,5 % of 200 € = 3 € > 1 €
    plan = fees.order_cost(
        schedule=broker, order=fees.Order(amount=D(50), interval=fees.MONTHLY, months=12)
    )
    assert plan.total == D("12.00")  # 12 executions × 1 € minimum


def test_schedule_reads_coin_figures_and_unpublished_ones():
    src = {"source": "https://a.example", "checked": _date()}
    facts = FactSet(
        [
            Fact("commission_pct", number=D("2.5"), **src),
            Fact("commission_pct", number=D("1.5"), coin="BTC", **src),
            Fact("spread_pct", unpublished=True, **src),
            Fact("fixed_eur", number=D(0), **src),
        ]
    )
    btc = fees.schedule_from_facts(facts=facts, pricing=fees.BROKER, method="sepa", coin="BTC")
    eth = fees.schedule_from_facts(facts=facts, pricing=fees.BROKER, method="sepa", coin="ETH")
    assert (btc.commission_pct, eth.commission_pct) == (D("1.5"), D("2.5"))
    assert btc.spread_pct is None  # a figure not published is never read as zero
    assert btc.unpublished == frozenset({"spread_pct"})
    result = fees.order_cost(schedule=btc, order=fees.Order(amount=D(100), coin="BTC"))
    assert result.unpublished == ("spread_pct",)
    assert result.unchecked == ("deposit_sepa",)


def _date():
    import datetime as dt

    return dt.date(2025, 1, 1)


# --- properties -------------------------------------------------------------------------------

percent = st.decimals(min_value=0, max_value=100, places=4, allow_nan=False, allow_infinity=False)
euros = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
amounts = st.decimals(
    min_value=D("0.01"), max_value=D(10_000_000), places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def schedules(draw):
    pricing = draw(st.sampled_from([fees.ORDERBOOK, fees.BROKER]))
    return fees.FeeSchedule(
        pricing=pricing,
        taker_pct=draw(percent),
        commission_pct=draw(percent),
        spread_pct=draw(percent),
        fixed_eur=draw(euros),
        deposits={"sepa": (draw(percent), draw(euros))},
        sparplan=fees.SparplanTerms(
            available=draw(st.sampled_from([True, False, None])),
            fee_pct=draw(percent),
            fee_eur=draw(euros),
            min_eur=None,
        ),
    )


orders = st.builds(
    lambda amount, monthly, months: fees.Order(
        amount=amount, interval=fees.MONTHLY if monthly else fees.ONCE, months=months
    ),
    amounts,
    st.booleans(),
    st.integers(min_value=1, max_value=120),
)


@settings(max_examples=300, deadline=None)
@given(schedules(), orders)
def test_cost_is_never_negative(fee_schedule, order):
    result = fees.order_cost(schedule=fee_schedule, order=order)
    assert result.ok
    assert result.total >= 0
    assert all(part.eur >= 0 for part in result.parts)


@settings(max_examples=300, deadline=None)
@given(schedules(), orders, amounts)
def test_cost_never_falls_when_the_amount_grows(fee_schedule, order, extra):
    smaller = fees.order_cost(schedule=fee_schedule, order=order)
    bigger_order = fees.Order(
        amount=order.amount + extra, interval=order.interval, months=order.months
    )
    bigger = fees.order_cost(schedule=fee_schedule, order=bigger_order)
    assert bigger.total >= smaller.total
    for small_part, big_part in zip(smaller.parts, bigger.parts, strict=True):
        assert big_part.eur >= small_part.eur


@settings(max_examples=200, deadline=None)
@given(schedules(), orders, st.sampled_from(["trading", "spread", "fixed", "deposit"]))
def test_a_provider_without_a_fee_has_zero_cost_for_that_part(fee_schedule, order, part_key):
    zeroed = {
        "trading": {"taker_pct": D(0), "commission_pct": D(0)},
        "spread": {"spread_pct": D(0)},
        "fixed": {"fixed_eur": D(0)},
        "deposit": {"deposits": {"sepa": (D(0), D(0))}},
    }[part_key]
    data = {**fee_schedule.__dict__, **zeroed}
    if part_key in ("trading", "fixed"):
        # Without a Sparplan, monthly orders use the standard fees for this part.
        data["sparplan"] = fees.SparplanTerms(available=False)
    result = fees.order_cost(schedule=fees.FeeSchedule(**data), order=order)
    part = next(part for part in result.parts if part.key == part_key)
    assert part.eur == 0


@settings(max_examples=200, deadline=None)
@given(schedules(), orders)
def test_total_is_the_sum_of_the_parts(fee_schedule, order):
    result = fees.order_cost(schedule=fee_schedule, order=order)
    assert result.total == sum(part.eur for part in result.parts)


@settings(max_examples=200, deadline=None)
@given(
    schedules(), orders, st.sampled_from(["taker_pct", "commission_pct", "spread_pct", "fixed_eur"])
)
def test_the_lower_bound_never_exceeds_the_full_cost(fee_schedule, order, unknown):
    full = fees.order_cost(schedule=fee_schedule, order=order)
    data = {**fee_schedule.__dict__, unknown: None}
    partial = fees.order_cost(schedule=fees.FeeSchedule(**data), order=order)
    if partial.ok:  # the unknown fee was not needed (e.g. taker fee of a broker)
        assert partial.total == full.total
    else:
        assert partial.minimum is not None
        assert partial.minimum <= full.total
