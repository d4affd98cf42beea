"""The German tax rules for crypto held privately, as figures and small functions.

The rules, as applied by this package (the tax page explains them to readers,
`docs/calculators.md` lists every source):

- **Private Veräußerungsgeschäfte (§ 23 Abs. 1 Satz 1 Nr. 2 EStG).** Selling, swapping or
  spending a coin within one year of acquiring it is taxable; after more than one year it is
  not. "More than one year": the period runs from the day after the acquisition (§ 187 Abs. 1
  BGB) and ends with the day of the next year that has the acquisition day's number (§ 188
  Abs. 2 BGB), or the month's last day if there is no such day (§ 188 Abs. 3 BGB: acquired on
  29 February 2024, the period ends on 28 February 2025). A sale on the last day of the
  period is taxable, a sale on the day after is tax-free: bought 2023-03-15, sold 2024-03-15
  is taxable, sold 2024-03-16 is tax-free ("one year plus a day", not 365 days).
- **Order of use.** FIFO per coin over all uploaded exchanges and wallets together by
  default, the method of the tax administration (BMF letter of 6 March 2025, IV C 1 – S
  2256/00042/064/043); LIFO on request, following FG Nürnberg, Urteil vom 22. Januar 2025,
  3 K 760/22 (against the BMF). See `settings`.
- **Fees.** A fee paid on a purchase adds to the acquisition cost (Anschaffungsnebenkosten);
  a fee paid on a sale or swap reduces the proceeds (Veräußerungskosten). A fee paid *in
  coins* is a disposal of those coins at their euro value ("Gebühr" rows): the coins are given
  away for a service, which § 23 treats like a sale. When such a coin fee belongs to a trade
  (a third coin such as BNB), its euro value is also that trade's fee (`Transaction.
  fee_third`); a network fee on a transfer is not deducted anywhere else (cautious reading).
- **Swaps** coin → coin are a sale of the coin given (proceeds: its euro value less fees)
  and a purchase of the coin received at the value of the coins exchanged, on the same day.
- **Other income (§ 22 Nr. 3 EStG).** Staking, lending, airdrops and similar coins received
  are income at their euro value on receipt and start a new lot with that value as cost, so
  their holding period starts on receipt. Tax-free if all such income of the year is *less
  than* 256 € (§ 22 Nr. 3 Satz 2 EStG, a Freigrenze).
- **Netting, Freigrenze, losses (§ 23 Abs. 3 EStG).** Per calendar year taxable gains and
  losses are netted. The net gain is tax-free if it is *less than* the Freigrenze (Satz 5:
  600 € up to and including 2023, 1,000 € from 2024 – Wachstumschancengesetz of 27 March
  2024) and taxable in full if it reaches it. A net loss may only be set off against § 23
  gains (Satz 7); it reduces the § 23 income of the preceding year and of later years "nach
  Maßgabe des § 10d" (Satz 8), see `years`.
- **Transfers** between the reader's own wallets (deposits, withdrawals) are not disposals;
  the coins keep their acquisition date and cost.
- **Coins given away or lost** ("Abgang ohne Entgelt": a gift, a lost key, a delisting
  without payment) are no Veräußerung: they use up lots like a sale but make no gain or loss.
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
    "airdrop": "Airdrop",
    "einnahme": "Sonstige Einnahme",
    "einzahlung": "Einzahlung (Übertrag)",
    "auszahlung": "Auszahlung (Übertrag)",
    "abgang": "Abgang ohne Entgelt",
}
# Kinds a reader may type into the form or our format's "Typ" column.
ENTRY_KINDS = (
    "kauf",
    "verkauf",
    "tausch",
    "gebuehr",
    "staking",
    "lending",
    "airdrop",
    "einnahme",
    "einzahlung",
    "auszahlung",
    "abgang",
)
INCOME_KINDS = frozenset({"staking", "lending", "airdrop", "einnahme"})
DISPOSAL_KINDS = frozenset({"verkauf", "tausch", "gebuehr"})
# Coins moved between the reader's own wallets: no disposal, no acquisition. Kept in the
# history so that a shortfall can be explained (a deposit whose purchase is missing).
TRANSFER_KINDS = frozenset({"einzahlung", "auszahlung"})
# Coins that leave without consideration (a gift, a lost key, a delisting without payment):
# not a Veräußerung, so no gain or loss, but the lots are used up like by a sale.
REMOVAL_KINDS = frozenset({"abgang"})
FIAT = frozenset({"EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD", "TRY", "BRL", "PLN"})

FREIGRENZE_22_NR_3 = Decimal(256)
MAX_ERRORS = 50
# Euro amounts are kept to 1e-10 € inside the engine, so that the parts of a sale add up to
# the sale exactly (Decimal's 28 digits then hold any realistic amount without rounding).
MONEY = Decimal("1e-10")
MAX_VALUE = Decimal("1e14")
# § 10d EStG limits a loss deduction beyond 1 million euros a year (carry-back: Abs. 1 Satz
# 1, in some years higher; carry-forward: Abs. 2 Satz 1, "Mindestbesteuerung" above it).
# Below this amount the deduction is complete; above it we compute nothing and say so.
LOSS_DEDUCTION_FULL = Decimal(1_000_000)


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


def tax_free_from(acquired: dt.date) -> dt.date:
    """The first day on which a sale is tax-free: the day after the period ends."""
    return holding_period_end(acquired) + dt.timedelta(days=1)


def is_tax_free(*, acquired: dt.date, sold: dt.date) -> bool:
    """More than one year between acquisition and sale: outside § 23 EStG."""
    return sold > holding_period_end(acquired)
