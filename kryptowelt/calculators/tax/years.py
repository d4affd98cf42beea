"""Each calendar year with that year's rules, and § 23 losses carried across years.

Per year (`years_summarise`):

- gains and losses from sales within the holding period are netted (§ 23 Abs. 3 Satz 7 EStG
  allows setting off § 23 losses against § 23 gains of the same year only);
- the net gain is tax-free below the year's Freigrenze (§ 23 Abs. 3 Satz 5 EStG: 600 € up to
  2023, 1,000 € from 2024) and taxable in full once it reaches it;
- § 22 Nr. 3 income (staking, lending, airdrops) is summed with its own Freigrenze of 256 €.

Across years (`_carry_losses`), § 23 Abs. 3 Satz 8 EStG: a year's net § 23 loss "mindert nach
Maßgabe des § 10d" the § 23 income of the immediately preceding year (carry-back, § 10d Abs. 1
EStG – unless the reader asks to refrain from it, § 10d Abs. 1 Satz 5) and then of the
following years (carry-forward, § 10d Abs. 2 EStG; the remaining amount is stated each year,
§ 10d Abs. 4 EStG). Losses reduce only § 23 income, never other income (Satz 7).

The Freigrenze is applied *before* a loss from another year is deducted (BFH, Urteil vom
11. Januar 2005, IX R 27/04, BStBl II 2005, 433): a year whose net gain stays below the
Freigrenze is tax-free and does not use up any loss; a year that reaches it is taxable in full
and the loss is deducted from that full amount, even if less than the Freigrenze remains.

Order within a year: losses of earlier years first (they were deducted when that year was
assessed), then the carry-back from the following year into what remains. A loss deduction
beyond 1 million euros a year is subject to further limits in § 10d; we note it instead of
computing it.
"""

from __future__ import annotations

from kryptowelt.calculators.tax.records import Disposal, Income, YearSummary
from kryptowelt.calculators.tax.rules import LOSS_DEDUCTION_FULL, ZERO, freigrenze_23
from kryptowelt.calculators.tax.settings import TaxSettings


def years_summarise(
    disposals: list[Disposal], incomes: list[Income], settings: TaxSettings
) -> list[YearSummary]:
    years: dict[int, YearSummary] = {}

    def summary(year: int) -> YearSummary:
        if year not in years:
            years[year] = YearSummary(year=year, freigrenze=freigrenze_23(year))
        return years[year]

    for disposal in disposals:
        year = summary(disposal.when.year)
        year.disposals.append(disposal)
        for part in disposal.parts:
            gain = part[6] - part[5]
            if part[8]:
                year.tax_free_gains += gain
            elif gain >= 0:
                year.taxable_gains += gain
            else:
                year.taxable_losses += gain
    for income in incomes:
        year = summary(income.when.year)
        year.incomes.append(income)
        year.income += income.value
        year.income_by_kind[income.kind] = year.income_by_kind.get(income.kind, ZERO) + income.value
    if settings.carryforward and years:
        # The stated loss applies from the year after its date; show the years in between.
        for year in range((settings.carryforward_year or min(years) - 1) + 1, min(years)):
            summary(year)
    ordered = [years[y] for y in sorted(years)]
    _carry_losses(ordered, settings)
    return ordered


def _carry_losses(ordered: list[YearSummary], settings: TaxSettings) -> None:
    """Fill in the loss fields of each year, oldest first (see the module's docstring). A
    stated loss from before the upload (`settings.carryforward`) is available from the first
    year; `report` has checked that it is dated before that year."""
    carry = settings.carryforward
    previous: YearSummary | None = None
    for year in ordered:
        net = year.net_taxable
        if net < 0:
            loss = -net
            if (
                settings.carry_back
                and previous is not None
                and previous.year == year.year - 1
                and previous.after_losses > 0
            ):
                back = min(loss, previous.after_losses)
                previous.carryback_in = back
                year.carryback_out = back
                loss -= back
                if back > LOSS_DEDUCTION_FULL:
                    previous.notes.append(_LIMIT_NOTE)
            year.loss_added = loss
            carry += loss
        else:
            # Zero below the Freigrenze: such a year is tax-free and uses up no loss.
            used = min(carry, year.taxable_amount)
            year.carryforward_used = used
            carry -= used
            if used > LOSS_DEDUCTION_FULL:
                year.notes.append(_LIMIT_NOTE)
        year.carryforward_end = carry
        previous = year


_LIMIT_NOTE = (
    "Der Verlustabzug übersteigt 1 Mio. €; oberhalb davon begrenzt § 10d EStG den Abzug "
    "(Mindestbesteuerung). Das rechnen wir nicht nach – bitte steuerlich beraten lassen."
)
