"""The tax result as a CSV file for the reader (German spreadsheet conventions: `;` between
fields, decimal comma, UTF-8 with BOM so that Excel shows umlauts). Pure Python, no Django.

Layout: a block "Jahresübersicht" (one row per year), an empty line, then "Einzelnachweis"
(one row per matched lot of every sale, swap and fee payment, then one row per income).

Cells with text from the reader's file (coin symbols) are neutralised against formula
injection (OWASP "CSV Injection"): one that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a leading apostrophe, so spreadsheet programs show it as text instead of running
it ("=HYPERLINK(…)" as a coin symbol). Numbers we format ourselves are left alone: "-103,04"
is a loss and must stay a number."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

from kryptowelt.calculators.tax.records import TaxReport
from kryptowelt.calculators.tax.rules import KIND_LABELS
from kryptowelt.core.formatting import format_date_short

BOM = "\ufeff"
CENT = Decimal("0.01")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """A text cell from the reader's data, never read as a formula by a spreadsheet."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _eur(value: Decimal) -> str:
    """1234.565 -> "1234,57": cents, decimal comma, no thousands separator (spreadsheets
    read that as a number). Written here for speed: a report can have 200,000 amounts."""
    return format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f").replace(".", ",")


def _amount(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def report_csv(report: TaxReport) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Jahresübersicht"])
    writer.writerow(
        [
            "Jahr",
            "Gewinne innerhalb der Haltefrist (EUR)",
            "Verluste innerhalb der Haltefrist (EUR)",
            "Saldo § 23 EStG (EUR)",
            "Freigrenze § 23 EStG (EUR)",
            "Steuerpflichtig § 23 EStG (EUR)",
            "Ergebnis nach mehr als einem Jahr, steuerfrei (EUR)",
            "Einkünfte § 22 Nr. 3 EStG (EUR)",
            "Steuerpflichtig § 22 Nr. 3 EStG (EUR)",
        ]
    )
    for year in report.years:
        writer.writerow(
            [
                year.year,
                _eur(year.taxable_gains),
                _eur(year.taxable_losses),
                _eur(year.net_taxable),
                _eur(year.freigrenze),
                _eur(year.taxable_amount),
                _eur(year.tax_free_gains),
                _eur(year.income),
                _eur(year.income_taxable),
            ]
        )
    writer.writerow([])
    writer.writerow(["Einzelnachweis"])
    writer.writerow(
        [
            "Jahr",
            "Zeile",
            "Datum",
            "Art",
            "Coin",
            "Menge",
            "Erhalten",
            "Anschaffung (Zeile)",
            "Anschaffungsdatum",
            "Anschaffungsart",
            "Haltedauer (Tage)",
            "Steuerfrei (mehr als ein Jahr)",
            "Veräußerungserlös (EUR)",
            "Anschaffungskosten (EUR)",
            "Gewinn/Verlust (EUR)",
        ]
    )
    for year in report.years:
        for disposal in year.disposals:
            received = (
                _text(f"{_amount(disposal.to_amount)} {disposal.to_coin}")
                if disposal.to_coin
                else ""
            )
            sold = format_date_short(disposal.when)
            coin = _text(disposal.coin)
            for match in disposal.matches:
                writer.writerow(
                    [
                        year.year,
                        disposal.row,
                        sold,
                        KIND_LABELS[disposal.kind],
                        coin,
                        _amount(match.amount),
                        received,
                        match.lot_row,
                        format_date_short(match.acquired),
                        KIND_LABELS[match.acquired_kind],
                        match.holding_days,
                        "ja" if match.tax_free else "nein",
                        _eur(match.proceeds),
                        _eur(match.cost),
                        _eur(match.gain),
                    ]
                )
        for income in year.incomes:
            writer.writerow(
                [
                    year.year,
                    income.row,
                    format_date_short(income.when),
                    f"{KIND_LABELS[income.kind]} (§ 22 Nr. 3 EStG)",
                    _text(income.coin),
                    _amount(income.amount),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    _eur(income.value),
                    "",
                    "",
                ]
            )
    return out.getvalue()
