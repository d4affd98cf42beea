"""The CSV report on its own: cells that could start a formula (the upload path strips tabs
and carriage returns from symbols, so those two are checked here, on the engine directly)."""

import csv
import datetime as dt
import io
from decimal import Decimal

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.report import tax_report
from kryptowelt.calculators.tax_export import report_csv

D = Decimal


def test_tab_and_carriage_return_at_the_start_of_a_symbol_are_neutralised():
    when = dt.datetime(2024, 5, 1, 12)
    items = [
        Transaction(2, when, "kauf", "\tTAB", D(1), D(10)),
        Transaction(3, when, "verkauf", "\tTAB", D(1), D(8)),
        Transaction(4, when, "lending", "\rCR", D(1), D(2)),
        Transaction(5, when, "kauf", "BTC", D(1), D(10)),
        Transaction(6, when, "verkauf", "BTC", D(1), D(9)),
    ]
    text = report_csv(tax_report(transactions=items, today=dt.date(2026, 1, 1)))
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    detail = {row[1]: row for row in rows if len(row) == 17 and row[1].isdigit()}
    assert detail["3"][4] == "'\tTAB" and detail["3"][14] == "-2,00"
    assert detail["4"][4] == "'\rCR"
    assert detail["6"][4] == "BTC" and detail["6"][14] == "-1,00"  # plain symbols untouched
