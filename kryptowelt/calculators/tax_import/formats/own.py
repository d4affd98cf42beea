"""Our own format ("Kryptowelt-Format", documented on the tax page, sample file in
`samples/`): one row per transaction with the columns `Datum`, `Typ`, `Coin`, `Menge`,
`Preis_EUR` and optionally `Gebuehr_EUR`, `Ziel_Coin`, `Ziel_Menge`, `Notiz` (and `Zeile`,
written by `transactions_to_csv` for the round trip); separated by `;` (numbers read German:
"1.234,56") or `,` (numbers read English, "1234.56", unless some number has a decimal
comma); dates as `15.03.2024`, `2024-03-15`, optionally with a time (`15.03.2024 14:30`), in
German local time. Column names may also be German or English synonyms (`_ALIASES`).

Optional columns carry what the result page hands back to the browser (`transactions_to_csv`)
and what a reader may add: `Datei` and `Quelle` (file and exchange of the original row),
`Kursquelle` and `Kurszeit` (where the euro value comes from, for which moment),
`Marktbewertung` ("ja": a market valuation the price setting may replace), `Verfuegbar_ab`
(the day a reward becomes available, see `tax.settings`), `Gebuehr_Drittcoin_EUR` (a fee paid
in a third coin). Transfers between own wallets ("Einzahlung", "Auszahlung") need no price.

The rows typed into the form on the tax page are read by the same code (`parse_table`)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.rules import ENTRY_KINDS, KIND_LABELS, TRANSFER_KINDS, ZERO
from kryptowelt.calculators.tax_import.errors import RowErrors, TaxImportError
from kryptowelt.calculators.tax_import.parsing import parse_local_datetime, parse_number
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table, count_row
from kryptowelt.calculators.tax_import.registry import GENERIC, FileFormat, register
from kryptowelt.calculators.tax_import.table import normalise_header
from kryptowelt.calculators.tax_import.valuation import OWN_SOURCE

NAME = "kryptowelt"
LABEL = "Kryptowelt-Format"
FORM_NAME = "formular"
FORM_LABEL = "Eingabe im Formular"

_ALIASES = {
    "datum": {"datum", "date", "zeitpunkt", "datum_uhrzeit"},
    "typ": {"typ", "art", "type", "vorgang"},
    "coin": {"coin", "asset", "kryptowaehrung", "waehrung", "token"},
    "menge": {"menge", "anzahl", "amount", "quantity"},
    "preis": {"preis_eur", "preis", "kurs_eur", "kurs", "preis_je_coin_eur", "price_eur"},
    "gebuehr": {"gebuehr_eur", "gebuehr", "gebuehren_eur", "gebuehren", "fee_eur", "fee"},
    "ziel_coin": {"ziel_coin", "zielcoin", "to_coin", "erhaltener_coin"},
    "ziel_menge": {"ziel_menge", "zielmenge", "to_amount", "erhaltene_menge"},
    "notiz": {"notiz", "bemerkung", "note", "kommentar"},
    "zeile": {"zeile", "quellzeile"},
    "datei": {"datei", "file"},
    "quelle": {"quelle", "boerse", "exchange"},
    "kursquelle": {"kursquelle", "price_source"},
    "kurszeit": {"kurszeit", "price_time"},
    "markt": {"marktbewertung"},
    "verfuegbar": {"verfuegbar_ab", "available"},
    "gebuehr_dritt": {"gebuehr_drittcoin_eur"},
}
_EXTRAS = ("datei", "quelle", "kursquelle", "kurszeit", "markt", "verfuegbar", "gebuehr_dritt")
REQUIRED = ("datum", "typ", "coin", "menge", "preis")
OWN_COLUMNS = (
    "Zeile",
    "Datum",
    "Typ",
    "Coin",
    "Menge",
    "Preis_EUR",
    "Gebuehr_EUR",
    "Ziel_Coin",
    "Ziel_Menge",
    "Notiz",
)
# What the result page hands back to the browser: OWN_COLUMNS and the optional ones.
ROUND_TRIP_COLUMNS = (
    *OWN_COLUMNS,
    "Datei",
    "Quelle",
    "Kursquelle",
    "Kurszeit",
    "Marktbewertung",
    "Verfuegbar_ab",
    "Gebuehr_Drittcoin_EUR",
)


def _detect(names: frozenset[str]) -> bool:
    own = {key for key, aliases in _ALIASES.items() if names & aliases}
    if len(own & set(REQUIRED)) < 3:
        return False
    missing = [k for k in REQUIRED if k not in own]
    if missing:
        raise TaxImportError(
            [
                "In der Kopfzeile fehlen die Spalten "
                + ", ".join(_label(k) for k in missing)
                + ". Unser Format braucht: Datum, Typ, Coin, Menge, Preis_EUR "
                "(dazu wahlweise Gebuehr_EUR, Ziel_Coin, Ziel_Menge, Notiz)."
            ]
        )
    return True


def _label(key: str) -> str:
    return {"datum": "Datum", "typ": "Typ", "coin": "Coin", "menge": "Menge"}.get(key, "Preis_EUR")


_KIND_WORDS = {
    "kauf": "kauf",
    "buy": "kauf",
    "verkauf": "verkauf",
    "sell": "verkauf",
    "tausch": "tausch",
    "swap": "tausch",
    "gebuehr": "gebuehr",
    "gebühr": "gebuehr",
    "fee": "gebuehr",
    "staking": "staking",
    "lending": "lending",
    "verleih": "lending",
    "einnahme": "einnahme",
    "sonstige_einnahme": "einnahme",
    "sonstige einnahme": "einnahme",
    "income": "einnahme",
    "airdrop": "airdrop",
    "einzahlung": "einzahlung",
    "deposit": "einzahlung",
    "einzahlung (übertrag)": "einzahlung",
    "auszahlung": "auszahlung",
    "withdrawal": "auszahlung",
    "auszahlung (übertrag)": "auszahlung",
    "abgang": "abgang",
    "abgang ohne entgelt": "abgang",
    "schenkung": "abgang",
}
_ALLOWED = ", ".join(KIND_LABELS[k] for k in ENTRY_KINDS)


_NUMBERS = (
    ("menge", "Menge", True),
    ("preis", "Preis_EUR", True),
    ("gebuehr", "Gebuehr_EUR", False),
    ("ziel_menge", "Ziel_Menge", False),
)


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    columns, errors = table.columns, table.errors
    index = {
        key: next((columns[a] for a in aliases if a in columns), None)
        for key, aliases in _ALIASES.items()
    }
    number_columns = [index[key] for key, _, _ in _NUMBERS if index[key] is not None]
    # The rows are read twice (the notation of numbers depends on the whole file) and kept
    # in between as plain tuples of strings: Python's collector stops tracking those after
    # one look, whereas 100,000 kept lists would be scanned by every full collection.
    raw_rows = []
    german = False
    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        raw_rows.append((row, tuple(cells)))
        if not german:
            german = any(i < len(cells) and "," in cells[i] for i in number_columns)
    errors.raise_if_any()
    # German spreadsheets separate fields with ";" and write "1.234,56". So a file separated
    # by ";", or writing any number with a decimal comma, is read German throughout ("1.234"
    # means 1234); a file separated by "," is read English ("1.234" means 1.234).
    style = "de" if german or result.delimiter == ";" else "en"
    positions = tuple(index[key] for key in ("typ", "datum", "coin", "ziel_coin"))
    numbers = tuple((index[key], label, required) for key, label, required in _NUMBERS)
    used = [i for i in (*positions, *(n[0] for n in numbers)) if i is not None]
    width = max(used) + 1 if used else 0
    append = result.transactions.append
    source_row = index["zeile"]
    extras = {key: index[key] for key in _EXTRAS if index[key] is not None}
    file_column = extras.get("datei")
    for row, cells in raw_rows:
        if source_row is not None:
            original = _at(cells, source_row)
            row = int(original) if original.isdigit() and len(original) < 9 else row
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        file = _at(cells, file_column)[:120] if file_column is not None else result.file
        tx = _own_row(row, cells, positions, numbers, style, errors, file)
        if tx is not None and extras:
            tx = _with_extras(tx, cells, extras, style, errors)
        if tx is not None:
            append(tx)
    errors.raise_if_any()


def parse_table(rows: list[tuple[int, list[str]]]) -> ParsedUpload:
    """Rows typed into the form, as (row number, cells in the order of `OWN_COLUMNS`)."""
    columns = {normalise_header(name): i for i, name in enumerate(OWN_COLUMNS)}
    columns.pop("zeile")  # the form's own row numbers count
    result = ParsedUpload(format=FORM_NAME, transactions=[], delimiter=";", format_label=FORM_LABEL)
    _parse(Table(columns=columns, rows=iter(rows)), result, None)
    if not result.transactions:
        raise TaxImportError(["Bitte tragen Sie mindestens eine Transaktion ein."])
    return result


def _at(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _own_row(
    row: int, cells: list[str], positions, numbers, style: str, errors: RowErrors, file: str
):
    """One row of our format; `cells` is at least as long as every position used."""
    p_typ, p_datum, p_coin, p_to = positions
    typ = cells[p_typ].strip()
    kind = _KIND_WORDS.get(typ.lower())
    if kind is None:
        errors.add(row, f"unbekannter Typ „{typ[:40]}“ (erlaubt: {_ALLOWED}).", file=file)
        return None
    datum = cells[p_datum].strip()
    try:
        when = parse_local_datetime(datum)
    except ValueError:
        errors.add(row, f"„{datum[:40]}“ ist kein gültiges Datum (z. B. 15.03.2024).", file=file)
        return None
    coin = cells[p_coin].strip().upper()
    if not coin:
        errors.add(row, "die Angabe des Coins fehlt.", file=file)
        return None
    if len(coin) > 80:
        errors.add(row, f"„{coin[:20]}…“ ist kein Coin-Kürzel.", file=file)
        return None
    values = []
    for position, label, required in numbers:
        text = cells[position].strip() if position is not None else ""
        if not text:
            if required and not (
                (kind in TRANSFER_KINDS or kind == "abgang") and label == "Preis_EUR"
            ):
                errors.add(row, f"die Spalte {label} ist leer.", file=file)
                return None
            values.append(ZERO)
            continue
        try:
            values.append(parse_number(text, style=style))
        except ValueError as exc:
            errors.add(row, f"{label}: {exc}.", file=file)
            return None
    return Transaction(
        row,
        when,
        kind,
        coin,
        values[0],
        values[1],
        values[2],
        cells[p_to].strip().upper() if p_to is not None else "",
        values[3],
        "Eigene Daten",
        file,
        ZERO,
        OWN_SOURCE,
        when,
    )


def _with_extras(tx: Transaction, cells, extras: dict[str, int], style: str, errors: RowErrors):
    """The optional columns of a row (see the module's docstring)."""
    changes: dict = {}
    if "quelle" in extras and (source := _at(cells, extras["quelle"])[:60]):
        changes["source"] = source
    if "kursquelle" in extras and (price_source := _at(cells, extras["kursquelle"])[:120]):
        changes["price_source"] = price_source
    for key, name in (("kurszeit", "price_time"), ("verfuegbar", "available")):
        if key in extras and (text := _at(cells, extras[key])):
            try:
                changes[name] = parse_local_datetime(text)
            except ValueError:
                errors.add(tx.row, f"„{text[:40]}“ ist kein gültiges Datum.", file=tx.file)
                return None
    if "markt" in extras:
        changes["market"] = _at(cells, extras["markt"]).lower() in {"ja", "yes", "1", "x"}
    if "gebuehr_dritt" in extras and (text := _at(cells, extras["gebuehr_dritt"])):
        try:
            changes["fee_third"] = parse_number(text, style=style)
        except ValueError as exc:
            errors.add(tx.row, f"Gebuehr_Drittcoin_EUR: {exc}.", file=tx.file)
            return None
    return tx._replace(**changes) if changes else tx


def transactions_to_csv(transactions: list[Transaction]) -> str:
    """Transactions in our own format (English numbers, ISO times, and the optional "Zeile"
    column keeping each row's number in the original upload): what the result page hands
    back to the reader's browser for the downloads and the print view, with the optional
    columns that keep each row's file, exchange and price source."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", lineterminator="\n")
    writer.writerow(ROUND_TRIP_COLUMNS)
    for tx in transactions:
        writer.writerow(
            [
                tx.row,
                tx.when.isoformat(sep=" "),
                tx.kind,
                tx.coin,
                _plain(tx.amount),
                _plain(tx.price),
                _plain(tx.fee) if tx.fee else "",
                tx.to_coin,
                _plain(tx.to_amount) if tx.to_amount else "",
                "",
                tx.file,
                tx.source,
                tx.price_source,
                tx.price_time.isoformat(sep=" ") if tx.price_time else "",
                "ja" if tx.market else "",
                tx.available.isoformat(sep=" ") if tx.available else "",
                _plain(tx.fee_third) if tx.fee_third else "",
            ]
        )
    return out.getvalue()


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


register(FileFormat(name=NAME, label=LABEL, detect=_detect, parse=_parse, priority=GENERIC))
