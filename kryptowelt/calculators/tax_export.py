"""The tax result as a CSV file for the reader (German spreadsheet conventions, see
`tax_docs.cells`). Pure Python, no Django.

Layout: a block "Jahresübersicht" (one row per year, with the losses carried across years),
an empty line, then "Einzelnachweis" (one row per matched lot of every sale, swap and fee
payment, then one row per income). The columns of earlier versions keep their places; new ones
come at the end of a row.

Cells with text from the reader's data (coin symbols, file names) are neutralised against
formula injection (`tax_docs.cells.text`); numbers we format ourselves stay numbers."""

from __future__ import annotations

import csv
import io

from kryptowelt.calculators.tax.records import TaxReport
from kryptowelt.calculators.tax.rules import KIND_LABELS
from kryptowelt.calculators.tax_docs.cells import BOM, amount, date, eur, text, yes_no

YEAR_HEADER = [
    "Jahr",
    "Gewinne innerhalb der Haltefrist (EUR)",
    "Verluste innerhalb der Haltefrist (EUR)",
    "Saldo § 23 EStG (EUR)",
    "Freigrenze § 23 EStG (EUR)",
    "Steuerpflichtig § 23 EStG vor Verlustabzug (EUR)",
    "Ergebnis nach mehr als einem Jahr, steuerfrei (EUR)",
    "Einkünfte § 22 Nr. 3 EStG (EUR)",
    "Steuerpflichtig § 22 Nr. 3 EStG (EUR)",
    "Verlust in das Vorjahr zurückgetragen (EUR)",
    "Verlustrücktrag aus dem Folgejahr (EUR)",
    "Verlustvortrag verrechnet (EUR)",
    "Steuerpflichtig § 23 EStG nach Verlustverrechnung (EUR)",
    "Verbleibender Verlustvortrag zum 31.12. (EUR)",
]


def year_rows(report: TaxReport) -> list[list]:
    return [
        [
            year.year,
            eur(year.taxable_gains),
            eur(year.taxable_losses),
            eur(year.net_taxable),
            eur(year.freigrenze),
            eur(year.taxable_amount),
            eur(year.tax_free_gains),
            eur(year.income),
            eur(year.income_taxable),
            eur(year.carryback_out),
            eur(year.carryback_in),
            eur(year.carryforward_used),
            eur(year.after_losses),
            eur(year.carryforward_end),
        ]
        for year in report.years
    ]


def report_csv(report: TaxReport) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Jahresübersicht"])
    writer.writerow(YEAR_HEADER)
    writer.writerows(year_rows(report))
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
            "Datei",
            "Anschaffung (Datei)",
        ]
    )
    for year in report.years:
        for disposal in year.disposals:
            received = (
                text(f"{amount(disposal.to_amount)} {disposal.to_coin}") if disposal.to_coin else ""
            )
            sold = date(disposal.when)
            coin = text(disposal.coin)
            file = text(disposal.file)
            label = KIND_LABELS[disposal.kind]
            for match in disposal.matches:
                writer.writerow(
                    [
                        year.year,
                        disposal.row,
                        sold,
                        label,
                        coin,
                        amount(match.amount),
                        received,
                        match.lot_row,
                        date(match.acquired),
                        KIND_LABELS[match.acquired_kind],
                        match.holding_days,
                        yes_no(match.tax_free),
                        eur(match.proceeds),
                        eur(match.cost),
                        eur(match.gain),
                        file,
                        text(match.lot_file),
                    ]
                )
        for income in year.incomes:
            writer.writerow(
                [
                    year.year,
                    income.row,
                    date(income.when),
                    f"{KIND_LABELS[income.kind]} (§ 22 Nr. 3 EStG)",
                    text(income.coin),
                    amount(income.amount),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    eur(income.value),
                    "",
                    "",
                    text(income.file),
                    "",
                ]
            )
    return out.getvalue()
