from decimal import Decimal

import pytest

from kryptowelt.calculators.profit import ProfitError, SideFee, trade_profit

D = Decimal


def test_hand_computed_trade_with_percentage_and_fixed_fees():
    # 0,5 BTC bought at 40.000 € with 1 % + 1 € fee, sold at 50.000 € with 0,5 % fee.
    result = trade_profit(
        buy_price=D(40000),
        sell_price=D(50000),
        quantity=D("0.5"),
        buy_fee=SideFee(percent=D(1), fixed=D(1)),
        sell_fee=SideFee(percent=D("0.5")),
    )
    assert result.buy_value == D(20000)
    assert result.buy_fee == D(201)  # 200 € + 1 €
    assert result.cost == D(20201)
    assert result.sell_value == D(25000)
    assert result.sell_fee == D("125")
    assert result.proceeds == D(24875)
    assert result.profit == D(4674)
    assert result.profit_percent == D(4674) / D(20201) * 100
    assert result.price_change_percent == D(25)
    assert result.fees_total == D(326)
    # Break-even: 0,5 · p · 0,995 = 20.201 → p = 40.605,02…
    assert result.break_even_price == D(20201) / (D("0.5") * D("0.995"))
    again = trade_profit(
        buy_price=D(40000),
        sell_price=result.break_even_price,
        quantity=D("0.5"),
        buy_fee=SideFee(percent=D(1), fixed=D(1)),
        sell_fee=SideFee(percent=D("0.5")),
    )
    assert abs(again.profit) < D("1e-20")


def test_loss_without_fees_and_fixed_sell_fee_break_even():
    result = trade_profit(
        buy_price=D(2000),
        sell_price=D(1500),
        quantity=D(2),
        sell_fee=SideFee(fixed=D(10)),
    )
    assert result.profit == D(3000) - D(10) - D(4000)
    assert result.break_even_price == D(2005)  # (4000 + 10) / 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"quantity": D(0)}, "Menge"),
        ({"quantity": D(-1)}, "Menge"),
        ({"buy_price": D(0)}, "Kaufkurs"),
        ({"sell_price": D(-1)}, "Verkaufskurs"),
        ({"buy_fee": SideFee(percent=D(-1))}, "negativ"),
        ({"sell_fee": SideFee(percent=D(100))}, "100 %"),
    ],
)
def test_bad_input(kwargs, message):
    params = {"buy_price": D(100), "sell_price": D(120), "quantity": D(1)} | kwargs
    with pytest.raises(ProfitError, match=message):
        trade_profit(**params)
