"""The documentation pack: one ZIP file with everything the BMF letter of 6 March 2025 asks a
taxpayer to keep and show on request (Rn. 87 ff.: every transaction, the source of every
valuation, the settings of the software), built in memory for one download.

Files (CSV: `;`, decimal comma, UTF-8 with BOM, formula cells neutralised, see `cells`):

- `00-methode.txt` – the method and the settings used, with sources (`method`);
- `01-einstellungen.csv` – the settings, one row each;
- `02-jahresuebersicht.csv` – each year: § 23 gains, losses, Freigrenze, losses carried,
  § 22 Nr. 3 income;
- `03-transaktionen.csv` – every normalised transaction with its file and line;
- `04-zuordnung-veraeusserungen.csv` – every sale, swap and fee with the lots it used up;
- `05-bewertungen.csv` – the euro value of every row with its price source and time;
- `06-bestand-jahresende.csv` – holdings at the end of each year;
- `07-steuerfrei-ab.csv` and `08-steuerfrei-ab.ics` – remaining lots and when they become
  tax-free;
- `09-einkuenfte-22-nr-3.csv` – staking, lending, airdrops and other income;
- `10-uebertraege-und-abgaenge.csv` – transfers between own wallets, coins gone without pay;
- `11-dateien.csv` – the uploaded files, their formats and what was not counted.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from kryptowelt.calculators.tax.records import TaxReport, Transaction
from kryptowelt.calculators.tax.rules import KIND_LABELS, TRANSFER_KINDS, ZERO
from kryptowelt.calculators.tax_docs.cells import (
    amount,
    date,
    date_time,
    eur,
    price,
    table,
    text,
    yes_no,
)
from kryptowelt.calculators.tax_docs.ics import tax_free_calendar
from kryptowelt.calculators.tax_docs.method import method_text
from kryptowelt.calculators.tax_export import YEAR_HEADER, year_rows


@dataclass(frozen=True)
class UploadedFile:
    """What the pack says about one uploaded file."""

    name: str
    format_label: str
    rows: int
    transactions: int
    skipped: dict[str, int] = field(default_factory=dict)
    valued_rows: int = 0


def documentation_zip(
    *,
    report: TaxReport,
    transactions: list[Transaction],
    files: list[UploadedFile],
    generated: dt.datetime,
    now_utc: dt.datetime,
) -> bytes:
    """The pack as ZIP bytes. `generated` is German local time, `now_utc` for the calendar."""
    buffer = io.BytesIO()
    # Level 1: a tenth of the time of the default level for CSV text, still a fifth of its size.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:

        def put(name: str, content: str) -> None:
            archive.writestr(name, content.encode("utf-8"))

        put(
            "00-methode.txt",
            method_text(
                report.settings,
                generated=generated,
                files=[(f.name, f.format_label) for f in files],
            ),
        )
        put(
            "01-einstellungen.csv",
            table(["Einstellung", "Wahl", "Erläuterung und Quelle"], report.settings.described()),
        )
        put("02-jahresuebersicht.csv", table(YEAR_HEADER, year_rows(report)))
        ordered = sorted(transactions, key=Transaction.sort_key)
        put("03-transaktionen.csv", _transactions(ordered))
        put("04-zuordnung-veraeusserungen.csv", _matching(report))
        put("05-bewertungen.csv", _valuations(ordered))
        put("06-bestand-jahresende.csv", _year_end(report, generated.date()))
        put("07-steuerfrei-ab.csv", _lots(report))
        put(
            "08-steuerfrei-ab.ics",
            tax_free_calendar(report.lots, today=generated.date(), now=now_utc),
        )
        put("09-einkuenfte-22-nr-3.csv", _incomes(report))
        put("10-uebertraege-und-abgaenge.csv", _transfers(report))
        put("11-dateien.csv", _files(files))
    return buffer.getvalue()


def _transactions(items: list[Transaction]) -> str:
    header = [
        "Datei",
        "Zeile",
        "Quelle",
        "Datum und Uhrzeit (deutsche Zeit)",
        "Art",
        "Coin",
        "Menge",
        "Kurs je Coin (EUR)",
        "Wert (EUR)",
        "Gebühr (EUR)",
        "Gebühr in anderem Coin (EUR)",
        "Ziel-Coin",
        "Ziel-Menge",
    ]
    rows = (
        [
            text(tx.file),
            tx.row,
            text(tx.source),
            date_time(tx.when),
            KIND_LABELS[tx.kind],
            text(tx.coin),
            amount(tx.amount),
            price(tx.price),
            eur(tx.value),
            eur(tx.fee),
            eur(tx.fee_third),
            text(tx.to_coin),
            amount(tx.to_amount) if tx.to_coin else "",
        ]
        for tx in items
    )
    return table(header, rows)


def _valuations(items: list[Transaction]) -> str:
    header = [
        "Datei",
        "Zeile",
        "Datum und Uhrzeit (deutsche Zeit)",
        "Art",
        "Coin",
        "Menge",
        "Kurs je Coin (EUR)",
        "Wert (EUR)",
        "Art der Bewertung",
        "Kursquelle",
        "Zeitpunkt des Kurses",
    ]
    rows = []
    for tx in items:
        if tx.kind in TRANSFER_KINDS or tx.kind == "abgang":
            how, source, when = "keine (nicht steuerbar)", "", ""
        else:
            how = "Marktbewertung" if tx.market else "tatsächlicher Betrag"
            source, when = tx.price_source, date_time(tx.price_time)
        rows.append(
            [
                text(tx.file),
                tx.row,
                date_time(tx.when),
                KIND_LABELS[tx.kind],
                text(tx.coin),
                amount(tx.amount),
                price(tx.price),
                eur(tx.value),
                how,
                text(source),
                when,
            ]
        )
    return table(header, rows)


def _matching(report: TaxReport) -> str:
    header = [
        "Jahr",
        "Datei",
        "Zeile",
        "Datum",
        "Art",
        "Coin",
        "Menge",
        "Erhalten",
        "Anschaffung: Datei",
        "Anschaffung: Zeile",
        "Anschaffungsdatum",
        "Anschaffungsart",
        "Haltedauer (Tage)",
        "Steuerfrei (mehr als ein Jahr)",
        "Veräußerungserlös (EUR)",
        "Anschaffungskosten (EUR)",
        "Gewinn/Verlust (EUR)",
    ]
    rows = []
    for year in report.years:
        for disposal in year.disposals:
            received = (
                text(f"{amount(disposal.to_amount)} {disposal.to_coin}") if disposal.to_coin else ""
            )
            for match in disposal.matches:
                rows.append(
                    [
                        year.year,
                        text(disposal.file),
                        disposal.row,
                        date(disposal.when),
                        KIND_LABELS[disposal.kind],
                        text(disposal.coin),
                        amount(match.amount),
                        received,
                        text(match.lot_file),
                        match.lot_row,
                        date(match.acquired),
                        KIND_LABELS[match.acquired_kind],
                        match.holding_days,
                        yes_no(match.tax_free),
                        eur(match.proceeds),
                        eur(match.cost),
                        eur(match.gain),
                    ]
                )
    return table(header, rows)


def _year_end(report: TaxReport, today: dt.date) -> str:
    header = [
        "Jahr",
        "Stand",
        "Coin",
        "Menge",
        "Anschaffungskosten (EUR)",
        "Älteste Anschaffung",
        "Ältester Teil steuerfrei ab",
    ]
    rows = []
    for year in sorted(report.year_end):
        stand = f"31.12.{year}" if dt.date(year, 12, 31) < today else "nach der letzten Transaktion"
        for holding in report.year_end[year]:
            rows.append(
                [
                    year,
                    stand,
                    text(holding.coin),
                    amount(holding.amount),
                    eur(holding.cost),
                    date(holding.oldest),
                    date(holding.tax_free_from),
                ]
            )
    return table(header, rows)


def _lots(report: TaxReport) -> str:
    header = [
        "Coin",
        "Menge",
        "Anschaffungskosten (EUR)",
        "Angeschafft am",
        "Art",
        "Datei",
        "Zeile",
        "Steuerfrei verkaufbar ab",
    ]
    rows = (
        [
            text(lot.coin),
            amount(lot.amount),
            eur(lot.cost),
            date(lot.acquired),
            lot.kind_label,
            text(lot.file),
            lot.row,
            date(lot.tax_free_from),
        ]
        for lot in report.lots
    )
    return table(header, rows)


def _incomes(report: TaxReport) -> str:
    header = [
        "Jahr",
        "Datei",
        "Zeile",
        "Datum",
        "Art",
        "Coin",
        "Menge",
        "Wert bei Zufluss (EUR)",
        "Kursquelle",
    ]
    rows = (
        [
            year.year,
            text(income.file),
            income.row,
            date(income.when),
            KIND_LABELS[income.kind],
            text(income.coin),
            amount(income.amount),
            eur(income.value),
            text(income.price_source),
        ]
        for year in report.years
        for income in year.incomes
    )
    return table(header, rows)


def _transfers(report: TaxReport) -> str:
    header = ["Datei", "Zeile", "Datum", "Art", "Coin", "Menge", "Quelle", "Hinweis"]
    rows = [
        [
            text(tx.file),
            tx.row,
            date_time(tx.when),
            KIND_LABELS[tx.kind],
            text(tx.coin),
            amount(tx.amount),
            text(tx.source),
            "Übertrag zwischen eigenen Wallets: keine Veräußerung, Haltefrist läuft weiter",
        ]
        for tx in report.transfers
    ]
    rows += [
        [
            text(removal.file),
            removal.row,
            date_time(removal.when),
            KIND_LABELS["abgang"],
            text(removal.coin),
            amount(removal.amount),
            "",
            "Abgang ohne Entgelt: Bestand verbraucht, kein Gewinn oder Verlust "
            f"(Anschaffungskosten {eur(sum((m.cost for m in removal.matches), ZERO))} EUR)",
        ]
        for removal in report.removals
    ]
    return table(header, rows)


def _files(files: list[UploadedFile]) -> str:
    header = [
        "Datei",
        "Format",
        "Zeilen",
        "Transaktionen",
        "mit Kryptowelt-Kursen bewertet",
        "Nicht berücksichtigt",
    ]
    rows = (
        [
            text(f.name),
            text(f.format_label),
            f.rows,
            f.transactions,
            f.valued_rows,
            text("; ".join(f"{count} × {reason}" for reason, count in sorted(f.skipped.items()))),
        ]
        for f in files
    )
    return table(header, rows)
