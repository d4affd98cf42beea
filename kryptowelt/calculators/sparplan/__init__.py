"""Sparplan backtest: what a savings plan in one coin would really have returned.

Pure Python with `Decimal` and no Django, so it is tested and benchmarked on its own:
`backtest` (the rules and the calculation), `schedule` (the interval dates), `returns`
(XIRR and maximum drawdown), `results` (fees, purchases and the result records)."""
