"""The German tax rules for crypto held privately, as figures and small functions.

The rules, as applied by this package (the tax page explains them to readers,
`docs/calculators.md` cites the sources):

- **Private Veräußerungsgeschäfte (§ 23 Abs. 1 Satz 1 Nr. 2 EStG).** Selling, swapping or
  spending a coin within one year of acquiring it is taxable; after more than one year it is
  not. "More than one year": the period runs from the day after the acquisition (§ 187 Abs. 1
  BGB) and ends with the day of the next year that has the acquisition day's number (§ 188
  Abs. 2 BGB), or the month's last day if there is no such day (§ 188 Abs. 3 BGB: acquired on
  29 February 2024, the period ends on 28 February 2025). A sale on the last day of the
  period is taxable, a sale on the day after is tax-free: bought 2023-03-15, sold 2024-03-15
  is taxable, sold 2024-03-16 is tax-free.
- **FIFO per coin across the whole holding.** Units sold are the units acquired first, over
  all exchanges and wallets together (the BMF letter of 6 March 2025 on crypto assets accepts
  FIFO; we do not offer other methods).
- **Fees.** A fee paid on a purchase adds to the acquisition cost (Anschaffungsnebenkosten);
  a fee paid on a sale or swap reduces the proceeds (Veräußerungskosten). A fee paid *in
  coins* ("Gebühr" rows, e.g. network fees) is a disposal of those coins at their euro value:
  the coins are given away for a service, which § 23 treats like a sale. Such a fee is not
  also deducted as an expense anywhere (a fee that belongs to a sale belongs in that sale's
  fee column instead).
- **Swaps** coin → coin are a sale of the coin given (proceeds: its euro value less fees)
  and a purchase of the coin received at that same net euro value, on the same day.
- **Staking, lending and other income (§ 22 Nr. 3 EStG).** Coins received are income at
  their euro value on receipt and start a new lot with that value as cost, so their holding
  period starts on receipt.
- **Netting and Freigrenzen.** Per calendar year, taxable gains and losses are netted. The
  net gain from private Veräußerungsgeschäfte is tax-free if it is *less than* the Freigrenze
  (§ 23 Abs. 3 Satz 5 EStG: 600 € up to and including 2023, 1,000 € from 2024) and taxable in
  full if it reaches it (a Freigrenze, not a Freibetrag). Income under § 22 Nr. 3 is
  tax-free if it is less than 256 € in the year, in total over all such income.
- **Losses** are netted within the year. A net loss can be carried back one year or forward
  against later § 23 gains (§ 23 Abs. 3 Sätze 7 und 8 EStG); the Finanzamt does this on
  request and we do not compute it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

ZERO = Decimal(0)

KIND_LABELS = {
    "kauf": "Kauf",
    "verkauf": "Verkauf",
    "tausch": "Tausch",
    "gebuehr": "Gebühr",
    "staking": "Staking",
    "lending": "Lending",
    "einnahme": "Sonstige Einnahme",
}
INCOME_KINDS = frozenset({"staking", "lending", "einnahme"})
DISPOSAL_KINDS = frozenset({"verkauf", "tausch", "gebuehr"})
FIAT = frozenset({"EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD"})

FREIGRENZE_22_NR_3 = Decimal(256)
MAX_ERRORS = 50
# Euro amounts are kept to 1e-10 € inside the engine, so that the parts of a sale add up to
# the sale exactly (Decimal's 28 digits then hold any realistic amount without rounding).
MONEY = Decimal("1e-10")
MAX_VALUE = Decimal("1e14")


def money(value: Decimal) -> Decimal:
    return value.quantize(MONEY)


def freigrenze_23(year: int) -> Decimal:
    """§ 23 Abs. 3 Satz 5 EStG: 600 € up to 2023, 1,000 € from 2024 (Wachstumschancengesetz)."""
    return Decimal(1000) if year >= 2024 else Decimal(600)


def holding_period_end(acquired: dt.date) -> dt.date:
    """The last day on which a sale is still within the one-year period (§§ 187, 188 BGB)."""
    try:
        return acquired.replace(year=acquired.year + 1)
    except ValueError:  # 29 February → 28 February (§ 188 Abs. 3 BGB)
        return dt.date(acquired.year + 1, acquired.month, 28)


def is_tax_free(*, acquired: dt.date, sold: dt.date) -> bool:
    """More than one year between acquisition and sale: outside § 23 EStG."""
    return sold > holding_period_end(acquired)
