"""Reading the reader's transactions from CSV: our own format and the exports of Kraken and
Coinbase. Pure Python, no Django; everything happens in memory and nothing is stored.

Formats (documented for readers on the tax page and in `docs/calculators.md`):

- **Kryptowelt** (our own): one row per transaction with the columns `Datum`, `Typ`, `Coin`,
  `Menge`, `Preis_EUR` and optionally `Gebuehr_EUR`, `Ziel_Coin`, `Ziel_Menge`, `Notiz`;
  separated by `;` (numbers read German: "1.234,56") or `,` (numbers read English,
  "1234.56", unless some number has a decimal comma);
  dates as `15.03.2024`, `2024-03-15`, optionally with a time (`15.03.2024 14:30`), in German
  local time.
- **Kraken trades** (`trades.csv`, History → Export → Trades): `txid, ordertxid, pair, time,
  type, ordertype, price, cost, fee, vol, margin, misc, ledgers` (newer exports have more
  columns; we read them by name). Times are UTC.
- **Kraken ledgers** (`ledgers.csv`, History → Export → Ledgers): `txid, refid, time, type,
  subtype, aclass, asset, (wallet,) amount, fee, balance`. A trade is two rows with the same
  `refid`. Staking rewards carry no euro value, so they are valued with our stored daily
  prices (the `price_lookup` passed in).
- **Coinbase** ("Transaction History" report): a few lines before the table ("Transactions",
  "User,…"), then `ID, Timestamp, Transaction Type, Asset, Quantity Transacted, Price
  Currency, Price at Transaction, Subtotal, Total (inclusive of fees and/or spread), Fees
  and/or Spread, Notes`; older reports lack `ID` and say `Spot Price Currency` / `Spot Price
  at Transaction`. Amounts may carry a currency sign ("€3343.11", "-€597.50").

Transfers between the reader's own accounts (deposits, withdrawals, sends, receives) are not
taxable and are listed as skipped; withdrawal fees paid in coins become "Gebühr" rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.report import collection_paused
from kryptowelt.calculators.tax.rules import FIAT, KIND_LABELS, MAX_ERRORS, ZERO

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000
BERLIN = ZoneInfo("Europe/Berlin")

# (coin symbol, day) -> € close of that day, or None if unknown.
PriceLookup = Callable[[str, dt.date], Decimal | None]

FORMAT_LABELS = {
    "formular": "Eingabe im Formular",
    "kryptowelt": "Kryptowelt-Format",
    "kraken_trades": "Kraken (Trades-Export)",
    "kraken_ledgers": "Kraken (Ledgers-Export)",
    "coinbase": "Coinbase (Transaktionsverlauf)",
}


class TaxImportError(ValueError):
    """The upload cannot be read; `messages` are German and name the rows concerned."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class ParsedUpload:
    format: str
    transactions: list[Transaction]
    skipped: Counter = field(default_factory=Counter)  # reason -> number of rows
    valued_rows: int = 0  # rows whose euro value came from our stored prices
    rows: int = 0
    delimiter: str = ","

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]


# --- text and numbers --------------------------------------------------------------------


def decode_upload(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TaxImportError([f"Die Datei ist größer als {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."])
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TaxImportError(
            [
                "Das ist eine Excel-Datei, keine CSV-Datei. Bitte speichern Sie die Tabelle "
                "als „CSV (Trennzeichen-getrennt)“ und laden Sie diese Datei hoch."
            ]
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise TaxImportError(["Die Datei ist keine Textdatei (CSV)."])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TaxImportError(
            [
                "Die Zeichenkodierung der Datei ist weder UTF-8 noch Windows-1252. "
                "Bitte speichern Sie die Datei als „CSV UTF-8“."
            ]
        ) from exc


_GROUPED_DOT = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^[1-9]\d{0,2}(,\d{3})+$")
_SIMPLE = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_PLAIN = re.compile(r"^\d+(\.\d+)?([eE][-+]?\d+)?$")
_CURRENCY = re.compile(r"[€$£\s\u00a0\u202f']|EUR|USD|GBP|CHF", re.IGNORECASE)


def parse_number(text: str, *, style: str = "auto") -> Decimal:
    """A number in German or English notation; `style` "de" reads "1.234" as 1234, "en"
    reads "1,234" as 1234; "auto" decides per value. Raises ValueError with a German text."""
    if _SIMPLE.match(text) and not (
        ("." in text and style == "de" and _GROUPED_DOT.match(text.lstrip("-")))
        or ("," in text and style == "en" and _GROUPED_COMMA.match(text.lstrip("-")))
    ):
        return Decimal(text.replace(",", "."))  # the common case: "0,5", "1234.56", "-2"
    raw = text
    cleaned = _CURRENCY.sub("", text or "")
    negative = False
    if cleaned.startswith("-") or cleaned.startswith("\u2212"):
        negative, cleaned = True, cleaned[1:]
    elif cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if not cleaned:
        raise ValueError(f"„{raw}“ ist keine Zahl")
    has_dot, has_comma = "." in cleaned, "," in cleaned
    if has_dot and has_comma:
        if cleaned.rfind(",") > cleaned.rfind("."):  # 1.234,56
            integer, _, fraction = cleaned.rpartition(",")
            if not (_GROUPED_DOT.match(integer) or integer.isdigit()):
                raise ValueError(f"„{raw}“ ist keine gültige Zahl")
            cleaned = integer.replace(".", "") + "." + fraction
        else:  # 1,234.56
            integer, _, fraction = cleaned.rpartition(".")
            if not (_GROUPED_COMMA.match(integer) or integer.isdigit()):
                raise ValueError(f"„{raw}“ ist keine gültige Zahl")
            cleaned = integer.replace(",", "") + "." + fraction
    elif has_comma:
        if cleaned.count(",") > 1 or (style == "en" and _GROUPED_COMMA.match(cleaned)):
            if not _GROUPED_COMMA.match(cleaned):
                raise ValueError(f"„{raw}“ ist keine gültige Zahl")
            cleaned = cleaned.replace(",", "")
        else:
            cleaned = cleaned.replace(",", ".")
    elif has_dot and (cleaned.count(".") > 1 or (style == "de" and _GROUPED_DOT.match(cleaned))):
        if not _GROUPED_DOT.match(cleaned):
            raise ValueError(f"„{raw}“ ist keine gültige Zahl")
        cleaned = cleaned.replace(".", "")
    if not _PLAIN.match(cleaned):
        raise ValueError(f"„{raw}“ ist keine Zahl")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above guards this
        raise ValueError(f"„{raw}“ ist keine Zahl") from exc
    return -value if negative else value


_DE_DATE = re.compile(
    r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?(?:\s*Uhr)?$"
)


def parse_local_datetime(text: str) -> dt.datetime:
    """German local time as a naive datetime. Accepts "15.03.2024", "15.03.2024 14:30",
    "2024-03-15", "2024-03-15 14:30:00" and ISO 8601 with an offset (converted)."""
    value = (text or "").strip()
    if len(value) in (10, 16) and value[2:3] == "." and value[5:6] == ".":
        try:  # the common "15.03.2024" and "15.03.2024 14:30", without a regular expression
            return dt.datetime(
                int(value[6:10]),
                int(value[3:5]),
                int(value[0:2]),
                int(value[11:13] or 0),
                int(value[14:16] or 0),
            )
        except ValueError:
            pass
    match = _DE_DATE.match(value)
    if match:
        day, month, year, hour, minute, second = match.groups()
        return dt.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    iso = value.replace("Z", "+00:00").replace(" UTC", "+00:00")
    parsed = dt.datetime.fromisoformat(iso)  # raises ValueError
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(BERLIN).replace(tzinfo=None)
    return parsed


def utc_to_local(text: str) -> dt.datetime:
    """An exchange's UTC timestamp ("2024-01-15 10:23:45.1234", "…Z", "… UTC") in German
    local time (naive), because the tax year and the holding period follow German dates."""
    value = (text or "").strip().replace(" UTC", "").replace("Z", "")
    if "." in value:
        head, _, fraction = value.partition(".")
        value = f"{head}.{(fraction + '000000')[:6]}"
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(BERLIN).replace(tzinfo=None)


def _normalise_header(name: str) -> str:
    text = (name or "").strip().strip('"').lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("€", "eur")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


class _Errors:
    def __init__(self):
        self.messages: list[str] = []

    def add(self, row: int, text: str) -> None:
        if len(self.messages) < MAX_ERRORS:
            self.messages.append(f"Zeile {row}: {text}")
        elif len(self.messages) == MAX_ERRORS:
            self.messages.append("Weitere Fehler werden nicht angezeigt.")

    def raise_if_any(self) -> None:
        if self.messages:
            raise TaxImportError(self.messages)


# --- format detection --------------------------------------------------------------------

_OWN_ALIASES = {
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
}
OWN_REQUIRED = ("datum", "typ", "coin", "menge", "preis")
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
_KRAKEN_TRADES = {"txid", "pair", "time", "type", "price", "cost", "fee", "vol"}
_KRAKEN_LEDGERS = {"txid", "refid", "time", "type", "asset", "amount", "fee"}
_COINBASE = {"timestamp", "transaction_type", "asset", "quantity_transacted"}


def _find_table(text: str) -> tuple[str, int, list[str], str]:
    """(format, index of the header line, header cells, delimiter)."""
    lines = text.splitlines()
    for index, line in enumerate(lines[:30]):
        if not line.strip():
            continue
        delimiter = _sniff_delimiter(line)
        cells = next(csv.reader([line], delimiter=delimiter))
        names = {_normalise_header(c) for c in cells}
        if names >= _KRAKEN_TRADES:
            return "kraken_trades", index, cells, delimiter
        if names >= _KRAKEN_LEDGERS:
            return "kraken_ledgers", index, cells, delimiter
        if names >= _COINBASE:
            return "coinbase", index, cells, delimiter
        own = {key for key, aliases in _OWN_ALIASES.items() if names & aliases}
        if len(own & set(OWN_REQUIRED)) >= 3:
            missing = [k for k in OWN_REQUIRED if k not in own]
            if missing:
                raise TaxImportError(
                    [
                        "In der Kopfzeile fehlen die Spalten "
                        + ", ".join(_own_label(k) for k in missing)
                        + ". Unser Format braucht: Datum, Typ, Coin, Menge, Preis_EUR "
                        "(dazu wahlweise Gebuehr_EUR, Ziel_Coin, Ziel_Menge, Notiz)."
                    ]
                )
            return "kryptowelt", index, cells, delimiter
    first = next((line for line in lines if line.strip()), "")
    shown = first[:200] + ("…" if len(first) > 200 else "")
    raise TaxImportError(
        [
            "Die Spalten der Datei passen zu keinem bekannten Format. Erwartet wird unser "
            "Format (Datum, Typ, Coin, Menge, Preis_EUR, …) oder ein Export von Kraken "
            f"(trades.csv, ledgers.csv) oder Coinbase. Erste Zeile der Datei: „{shown}“"
        ]
    )


def _own_label(key: str) -> str:
    return {"datum": "Datum", "typ": "Typ", "coin": "Coin", "menge": "Menge"}.get(key, "Preis_EUR")


def _rows(text: str, header_index: int, delimiter: str):
    """(physical line number, cells) after the header; blank lines skipped."""
    body = io.StringIO("\n".join(text.splitlines()[header_index + 1 :]))
    reader = csv.reader(body, delimiter=delimiter)
    for cells in reader:
        if not "".join(cells).strip():
            continue
        yield header_index + 1 + reader.line_num, cells


# --- entry point -------------------------------------------------------------------------


def parse_upload(data: bytes, *, price_lookup: PriceLookup | None = None) -> ParsedUpload:
    """Read an upload into transactions, or raise `TaxImportError` naming each bad row."""
    return parse_text(decode_upload(data), price_lookup=price_lookup)


def parse_text(text: str, *, price_lookup: PriceLookup | None = None) -> ParsedUpload:
    if not text.strip():
        raise TaxImportError(["Die Datei ist leer."])
    fmt, header_index, header, delimiter = _find_table(text)
    columns = {_normalise_header(name): i for i, name in enumerate(header)}
    rows = _rows(text, header_index, delimiter)
    parser = {
        "kryptowelt": _parse_own,
        "kraken_trades": _parse_kraken_trades,
        "kraken_ledgers": _parse_kraken_ledgers,
        "coinbase": _parse_coinbase,
    }[fmt]
    result = ParsedUpload(format=fmt, transactions=[], delimiter=delimiter)
    with collection_paused():
        parser(rows, columns, result, price_lookup)
    if not result.transactions and not result.skipped:
        raise TaxImportError(["Die Datei enthält keine Transaktionen."])
    return result


def _cell(cells: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _count_row(result: ParsedUpload, errors: _Errors, row: int) -> bool:
    result.rows += 1
    if result.rows > MAX_ROWS:
        errors.messages = [
            f"Die Datei hat mehr als {MAX_ROWS:_} Zeilen; bitte teilen Sie sie auf.".replace(
                "_", "."
            )
        ]
        return False
    return True


# --- our own format ----------------------------------------------------------------------

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
}


_OWN_NUMBERS = (
    ("menge", "Menge", True),
    ("preis", "Preis_EUR", True),
    ("gebuehr", "Gebuehr_EUR", False),
    ("ziel_menge", "Ziel_Menge", False),
)


def _parse_own(rows, columns, result: ParsedUpload, price_lookup) -> None:
    errors = _Errors()
    index = {
        key: next((columns[a] for a in aliases if a in columns), None)
        for key, aliases in _OWN_ALIASES.items()
    }
    number_columns = [index[key] for key, _, _ in _OWN_NUMBERS if index[key] is not None]
    raw_rows = []
    german = False
    for row, cells in rows:
        if not _count_row(result, errors, row):
            break
        raw_rows.append((row, cells))
        if not german:
            german = any(i < len(cells) and "," in cells[i] for i in number_columns)
    errors.raise_if_any()
    # German spreadsheets separate fields with ";" and write "1.234,56". So a file separated
    # by ";", or writing any number with a decimal comma, is read German throughout ("1.234"
    # means 1234); a file separated by "," is read English ("1.234" means 1.234).
    style = "de" if german or result.delimiter == ";" else "en"
    positions = tuple(index[key] for key in ("typ", "datum", "coin", "ziel_coin"))
    numbers = tuple((index[key], label, required) for key, label, required in _OWN_NUMBERS)
    used = [i for i in (*positions, *(n[0] for n in numbers)) if i is not None]
    width = max(used) + 1 if used else 0
    append = result.transactions.append
    source_row = index["zeile"]
    for row, cells in raw_rows:
        if source_row is not None:
            original = _at(cells, source_row)
            row = int(original) if original.isdigit() and len(original) < 9 else row
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        tx = _own_row(row, cells, positions, numbers, style, errors)
        if tx is not None:
            append(tx)
    errors.raise_if_any()


def parse_table(rows: list[tuple[int, list[str]]]) -> ParsedUpload:
    """Rows typed into the form, as (row number, cells in the order of `OWN_COLUMNS`)."""
    columns = {_normalise_header(name): i for i, name in enumerate(OWN_COLUMNS)}
    columns.pop("zeile")  # the form's own row numbers count
    result = ParsedUpload(format="formular", transactions=[], delimiter=";")
    _parse_own(iter(rows), columns, result, None)
    if not result.transactions:
        raise TaxImportError(["Bitte tragen Sie mindestens eine Transaktion ein."])
    return result


def _at(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _own_row(row: int, cells: list[str], positions, numbers, style: str, errors: _Errors):
    """One row of our format; `cells` is at least as long as every position used."""
    p_typ, p_datum, p_coin, p_to = positions
    typ = cells[p_typ].strip()
    kind = _KIND_WORDS.get(typ.lower())
    if kind is None:
        errors.add(
            row,
            f"unbekannter Typ „{typ}“ (erlaubt: " + ", ".join(KIND_LABELS.values()) + ").",
        )
        return None
    datum = cells[p_datum].strip()
    try:
        when = parse_local_datetime(datum)
    except ValueError:
        errors.add(row, f"„{datum}“ ist kein gültiges Datum (z. B. 15.03.2024).")
        return None
    coin = cells[p_coin].strip().upper()
    if not coin:
        errors.add(row, "die Angabe des Coins fehlt.")
        return None
    values = []
    for position, label, required in numbers:
        text = cells[position].strip() if position is not None else ""
        if not text:
            if required:
                errors.add(row, f"die Spalte {label} ist leer.")
                return None
            values.append(ZERO)
            continue
        try:
            values.append(parse_number(text, style=style))
        except ValueError as exc:
            errors.add(row, f"{label}: {exc}.")
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
    )


def transactions_to_csv(transactions: list[Transaction]) -> str:
    """Transactions in our own format (English numbers, ISO times, and the optional "Zeile"
    column keeping each row's number in the original upload): what the result page hands
    back to the reader's browser for the CSV download and the print view."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", lineterminator="\n")
    writer.writerow(OWN_COLUMNS)
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
            ]
        )
    return out.getvalue()


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


# --- asset names -------------------------------------------------------------------------

_KRAKEN_ASSETS = {
    "XXBT": "BTC",
    "XBT": "BTC",
    "XBT.M": "BTC",
    "XXDG": "DOGE",
    "XDG": "DOGE",
    "XETH": "ETH",
    "ETH2": "ETH",
    "ETH2.S": "ETH",
    "XXRP": "XRP",
    "XLTC": "LTC",
    "XXLM": "XLM",
    "XXMR": "XMR",
    "XETC": "ETC",
    "XZEC": "ZEC",
    "XREP": "REP",
    "XMLN": "MLN",
    "ZEUR": "EUR",
    "ZUSD": "USD",
    "ZGBP": "GBP",
    "ZCAD": "CAD",
    "ZJPY": "JPY",
    "ZAUD": "AUD",
    "ZCHF": "CHF",
}
_KRAKEN_QUOTES = (
    "ZEUR",
    "ZUSD",
    "ZGBP",
    "ZCAD",
    "ZJPY",
    "ZAUD",
    "XXBT",
    "XETH",
    "USDT",
    "USDC",
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "CAD",
    "JPY",
    "AUD",
    "XBT",
    "ETH",
    "DOT",
    "DAI",
)


def kraken_asset(code: str) -> str:
    """Kraken's asset codes to common symbols: XXBT → BTC, ZEUR → EUR, DOT.S → DOT."""
    code = (code or "").strip().upper()
    if code in _KRAKEN_ASSETS:
        return _KRAKEN_ASSETS[code]
    base = re.sub(r"\.(S|M|P|F|B|HOLD)$", "", code)
    base = re.sub(r"(\d+)?\.S$", "", base)
    if base in _KRAKEN_ASSETS:
        return _KRAKEN_ASSETS[base]
    return base


def kraken_pair(pair: str) -> tuple[str, str] | None:
    """("BTC", "EUR") for "XXBTZEUR", "XBT/EUR", "SOLEUR"; None if not recognisable."""
    text = (pair or "").strip().upper()
    if "/" in text:
        base, _, quote = text.partition("/")
        return kraken_asset(base), kraken_asset(quote)
    for quote in _KRAKEN_QUOTES:
        if text.endswith(quote) and len(text) > len(quote):
            return kraken_asset(text[: -len(quote)]), kraken_asset(quote)
    return None


# --- valuation of trades without euro amounts ---------------------------------------------


def _lookup(price_lookup: PriceLookup | None, coin: str, day: dt.date) -> Decimal | None:
    if coin == "EUR":
        return Decimal(1)
    if price_lookup is None:
        return None
    price = price_lookup(coin, day)
    return price if price is not None and price > 0 else None


def _no_price(coin: str, day: dt.date) -> str:
    return (
        f"für {coin} am {day.day:02d}.{day.month:02d}.{day.year} kennen wir keinen Euro-Kurs; "
        "bitte tragen Sie diese Zeile mit Euro-Wert in unserem Format ein."
    )


def _trade(
    *,
    row: int,
    when: dt.datetime,
    give: str,
    give_amount: Decimal,
    give_fee: Decimal,
    get: str,
    get_amount: Decimal,
    get_fee: Decimal,
    source: str,
    price_lookup: PriceLookup | None,
    result: ParsedUpload,
    errors: _Errors,
) -> None:
    """One exchange trade in which `give_amount + give_fee` of `give` left the account and
    `get_amount - get_fee` of `get` arrived. Becomes a Kauf, Verkauf or Tausch with euro
    values; a non-euro fiat side is converted with our stored € price of the coin."""
    day = when.date()
    give_fiat, get_fiat = give in FIAT, get in FIAT
    if give_fiat and get_fiat:
        result.skipped["Devisentausch ohne Kryptowährung"] += 1
        return
    if give_fiat:  # a purchase
        coins = get_amount - get_fee
        if coins <= 0:
            errors.add(row, "die gekaufte Menge ist nach Abzug der Gebühr nicht positiv.")
            return
        if give == "EUR":
            rate = Decimal(1)
        else:
            coin_price = _lookup(price_lookup, get, day)
            if coin_price is None:
                errors.add(row, _no_price(get, day))
                return
            rate = coin_price * get_amount / give_amount  # € per unit of the fiat currency
            result.valued_rows += 1
        paid = give_amount * rate
        result.transactions.append(
            Transaction(
                row=row,
                when=when,
                kind="kauf",
                coin=get,
                amount=coins,
                price=paid / coins,
                fee=give_fee * rate,
                source=source,
            )
        )
        return
    if get_fiat:  # a sale
        coins = give_amount + give_fee
        if get == "EUR":
            rate = Decimal(1)
        else:
            coin_price = _lookup(price_lookup, give, day)
            if coin_price is None:
                errors.add(row, _no_price(give, day))
                return
            rate = coin_price * give_amount / get_amount
            result.valued_rows += 1
        unit = get_amount * rate / give_amount  # € per coin
        result.transactions.append(
            Transaction(
                row=row,
                when=when,
                kind="verkauf",
                coin=give,
                amount=coins,
                price=unit,
                fee=get_fee * rate + give_fee * unit,
                source=source,
            )
        )
        return
    # Coin for coin: valued with our daily € price of the coin given, else of the coin got.
    given = give_amount + give_fee
    unit_give = _lookup(price_lookup, give, day)
    unit_get = _lookup(price_lookup, get, day)
    if unit_give is None and unit_get is None:
        errors.add(row, _no_price(f"{give} und {get}", day))
        return
    if unit_give is None:
        unit_give = unit_get * get_amount / give_amount
    if unit_get is None:
        unit_get = unit_give * give_amount / get_amount
    result.valued_rows += 1
    result.transactions.append(
        Transaction(
            row=row,
            when=when,
            kind="tausch",
            coin=give,
            amount=given,
            price=unit_give,
            fee=give_fee * unit_give + get_fee * unit_get,
            to_coin=get,
            to_amount=get_amount - get_fee,
            source=source,
        )
    )


def _valued_income(
    *,
    row: int,
    when: dt.datetime,
    kind: str,
    coin: str,
    amount: Decimal,
    unit_price: Decimal | None,
    source: str,
    price_lookup: PriceLookup | None,
    result: ParsedUpload,
    errors: _Errors,
) -> None:
    if unit_price is None:
        unit_price = _lookup(price_lookup, coin, when.date())
        if unit_price is None:
            errors.add(row, _no_price(coin, when.date()))
            return
        result.valued_rows += 1
    result.transactions.append(
        Transaction(
            row=row, when=when, kind=kind, coin=coin, amount=amount, price=unit_price, source=source
        )
    )


# --- Kraken ------------------------------------------------------------------------------


def _parse_kraken_trades(rows, columns, result: ParsedUpload, price_lookup) -> None:
    errors = _Errors()
    for row, cells in rows:
        if not _count_row(result, errors, row):
            break
        get = lambda key, cells=cells: _cell(cells, columns, key)  # noqa: E731
        pair = kraken_pair(get("pair"))
        if pair is None:
            errors.add(row, f"das Handelspaar „{get('pair')}“ ist unbekannt.")
            continue
        base, quote = pair
        try:
            when = utc_to_local(get("time"))
            vol = parse_number(get("vol"), style="en")
            cost = parse_number(get("cost"), style="en")
            fee = parse_number(get("fee") or "0", style="en")
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        side = get("type").lower()
        if vol <= 0 or cost <= 0:
            errors.add(row, "Menge und Betrag müssen größer als 0 sein.")
            continue
        if _is_positive(get("margin")):
            result.skipped["Margin-Handel (nicht berechnet)"] += 1
            continue
        # Kraken charges trade fees in the quote currency.
        if side == "buy":
            _trade(
                row=row,
                when=when,
                give=quote,
                give_amount=cost,
                give_fee=fee,
                get=base,
                get_amount=vol,
                get_fee=ZERO,
                source="Kraken",
                price_lookup=price_lookup,
                result=result,
                errors=errors,
            )
        elif side == "sell":
            _trade(
                row=row,
                when=when,
                give=base,
                give_amount=vol,
                give_fee=ZERO,
                get=quote,
                get_amount=cost,
                get_fee=fee,
                source="Kraken",
                price_lookup=price_lookup,
                result=result,
                errors=errors,
            )
        else:
            errors.add(row, f"unbekannte Handelsrichtung „{get('type')}“.")
    errors.raise_if_any()


def _is_positive(text: str) -> bool:
    try:
        return parse_number(text, style="en") > 0
    except ValueError:
        return False


_LEDGER_TRANSFER_TYPES = {
    "deposit": "Einzahlung",
    "withdrawal": "Auszahlung",
    "transfer": "Übertrag zwischen eigenen Konten",
    "margin": "Margin-Handel (nicht berechnet)",
    "rollover": "Margin-Handel (nicht berechnet)",
    "settled": "Margin-Handel (nicht berechnet)",
    "adjustment": "Korrekturbuchung",
}


def _parse_kraken_ledgers(rows, columns, result: ParsedUpload, price_lookup) -> None:
    errors = _Errors()
    groups: dict[str, list[tuple[int, dt.datetime, str, Decimal, Decimal]]] = {}
    group_order: list[str] = []
    for row, cells in rows:
        if not _count_row(result, errors, row):
            break
        get = lambda key, cells=cells: _cell(cells, columns, key)  # noqa: E731
        kind = get("type").lower()
        subtype = get("subtype").lower()
        asset = kraken_asset(get("asset"))
        try:
            when = utc_to_local(get("time"))
            amount = parse_number(get("amount") or "0", style="en")
            fee = parse_number(get("fee") or "0", style="en")
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        if kind in {"trade", "spend", "receive"}:
            refid = get("refid") or f"row-{row}"
            if refid not in groups:
                groups[refid] = []
                group_order.append(refid)
            groups[refid].append((row, when, asset, amount, fee))
            continue
        is_reward = kind == "staking" or (kind == "earn" and subtype in {"reward", ""})
        if kind == "earn" and subtype not in {"reward", ""}:
            result.skipped["Übertrag zwischen eigenen Konten"] += 1
            continue
        if is_reward:
            if amount - fee <= 0:
                result.skipped["Staking-Übertrag"] += 1
                continue
            if asset in FIAT:
                result.skipped["Zinsen in Euro/Fiat (Kapitalerträge, nicht berechnet)"] += 1
                continue
            _valued_income(
                row=row,
                when=when,
                kind="staking",
                coin=asset,
                amount=amount - fee,
                unit_price=None,
                source="Kraken",
                price_lookup=price_lookup,
                result=result,
                errors=errors,
            )
            continue
        if kind == "withdrawal" and fee > 0 and asset not in FIAT:
            unit = _lookup(price_lookup, asset, when.date())
            if unit is None:
                errors.add(row, _no_price(asset, when.date()))
                continue
            result.valued_rows += 1
            result.transactions.append(
                Transaction(
                    row=row,
                    when=when,
                    kind="gebuehr",
                    coin=asset,
                    amount=fee,
                    price=unit,
                    source="Kraken",
                )
            )
            continue
        reason = _LEDGER_TRANSFER_TYPES.get(kind, f"Buchungsart „{kind or '–'}“ (nicht berechnet)")
        result.skipped[reason] += 1
    for refid in group_order:
        legs = groups[refid]
        row = legs[0][0]
        outgoing = [leg for leg in legs if leg[3] < 0]
        incoming = [leg for leg in legs if leg[3] > 0]
        if len(outgoing) != 1 or len(incoming) != 1:
            errors.add(
                row,
                f"der Handel mit der Referenz {refid} hat nicht genau eine abgehende und eine "
                "eingehende Buchung; ist der Export vollständig?",
            )
            continue
        _, when, give, give_amount, give_fee = outgoing[0]
        _, _, get, get_amount, get_fee = incoming[0]
        _trade(
            row=row,
            when=when,
            give=give,
            give_amount=-give_amount,
            give_fee=give_fee,
            get=get,
            get_amount=get_amount,
            get_fee=get_fee,
            source="Kraken",
            price_lookup=price_lookup,
            result=result,
            errors=errors,
        )
    errors.raise_if_any()


# --- Coinbase ----------------------------------------------------------------------------

_COINBASE_IGNORED = {
    "send": "Versand an eine andere Adresse",
    "receive": "Empfang von einer anderen Adresse",
    "deposit": "Einzahlung",
    "withdrawal": "Auszahlung",
    "pro deposit": "Übertrag zwischen eigenen Konten",
    "pro withdrawal": "Übertrag zwischen eigenen Konten",
    "exchange deposit": "Übertrag zwischen eigenen Konten",
    "exchange withdrawal": "Übertrag zwischen eigenen Konten",
    "retail staking transfer": "Übertrag zwischen eigenen Konten",
    "retail unstaking transfer": "Übertrag zwischen eigenen Konten",
    "retail eth2 deprecation": "Übertrag zwischen eigenen Konten",
}
_COINBASE_BUY = {"buy", "advanced trade buy", "advance trade buy"}
_COINBASE_SELL = {"sell", "advanced trade sell", "advance trade sell"}
_COINBASE_STAKING = {"staking income", "rewards income", "inflation reward", "reward income"}
_COINBASE_OTHER_INCOME = {"coinbase earn", "learning reward"}
_CONVERT_NOTE = re.compile(
    r"Converted\s+([\d.,]+)\s+([A-Za-z0-9]+)\s+to\s+([\d.,]+)\s+([A-Za-z0-9]+)", re.IGNORECASE
)


def _coinbase_columns(columns: dict[str, int]) -> dict[str, int | None]:
    def first(*names):
        return next((columns[n] for n in names if n in columns), None)

    return {
        "time": first("timestamp"),
        "type": first("transaction_type"),
        "asset": first("asset"),
        "quantity": first("quantity_transacted"),
        "currency": first("price_currency", "spot_price_currency"),
        "price": first(
            "price_at_transaction", "spot_price_at_transaction", "eur_spot_price_at_transaction"
        ),
        "subtotal": first("subtotal", "eur_subtotal"),
        "total": first(
            "total_inclusive_of_fees_and_or_spread",
            "total_inclusive_of_fees",
            "eur_total_inclusive_of_fees_and_or_spread",
            "eur_total_inclusive_of_fees",
        ),
        "fees": first("fees_and_or_spread", "fees", "eur_fees_and_or_spread", "eur_fees"),
        "notes": first("notes"),
        "implied_eur": 1 if "eur_spot_price_at_transaction" in columns else None,
    }


def _parse_coinbase(rows, columns, result: ParsedUpload, price_lookup) -> None:
    errors = _Errors()
    col = _coinbase_columns(columns)
    if col["price"] is None:
        raise TaxImportError(
            ["Im Coinbase-Export fehlt die Spalte „Price at Transaction“ (Kurs je Coin)."]
        )

    def cell(cells, key):
        index = col[key]
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for row, cells in rows:
        if not _count_row(result, errors, row):
            break
        kind_text = cell(cells, "type").lower()
        if kind_text in _COINBASE_IGNORED:
            result.skipped[_COINBASE_IGNORED[kind_text]] += 1
            continue
        asset = cell(cells, "asset").upper()
        try:
            when = utc_to_local(cell(cells, "time"))
        except ValueError:
            errors.add(row, f"„{cell(cells, 'time')}“ ist kein lesbarer Zeitstempel.")
            continue
        try:
            quantity = abs(parse_number(cell(cells, "quantity"), style="en"))
            price = abs(parse_number(cell(cells, "price"), style="en"))
            subtotal = _optional_number(cell(cells, "subtotal"))
            total = _optional_number(cell(cells, "total"))
            fees = _optional_number(cell(cells, "fees")) or ZERO
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        if quantity <= 0:
            errors.add(row, "die Menge ist 0.")
            continue
        currency = (cell(cells, "currency") or "EUR").upper() if not col["implied_eur"] else "EUR"
        rate = Decimal(1)
        if currency != "EUR":
            coin_price = _lookup(price_lookup, asset, when.date())
            if coin_price is None:
                errors.add(row, _no_price(asset, when.date()))
                continue
            rate = coin_price / price
            result.valued_rows += 1
        unit = price * rate
        fees_eur = abs(fees) * rate
        if kind_text in _COINBASE_BUY:
            paid = abs(subtotal) * rate if subtotal is not None else quantity * unit
            result.transactions.append(
                Transaction(
                    row=row,
                    when=when,
                    kind="kauf",
                    coin=asset,
                    amount=quantity,
                    price=paid / quantity,
                    fee=fees_eur,
                    source="Coinbase",
                )
            )
        elif kind_text in _COINBASE_SELL:
            gross = abs(subtotal) * rate if subtotal is not None else quantity * unit
            result.transactions.append(
                Transaction(
                    row=row,
                    when=when,
                    kind="verkauf",
                    coin=asset,
                    amount=quantity,
                    price=gross / quantity,
                    fee=min(fees_eur, gross),
                    source="Coinbase",
                )
            )
        elif kind_text == "convert":
            match = _CONVERT_NOTE.search(cell(cells, "notes"))
            if not match:
                errors.add(
                    row,
                    "bei „Convert“ fehlt in den Notizen die Angabe „Converted … to …“, "
                    "aus der wir den erhaltenen Coin lesen.",
                )
                continue
            to_amount = parse_number(match.group(3), style="en")
            to_coin = match.group(4).upper()
            # Total is the value of the coins given; Subtotal what arrived after the spread.
            value = abs(total) * rate if total is not None else quantity * unit
            net = abs(subtotal) * rate if subtotal is not None else value - fees_eur
            spread = fees_eur if fees else max(value - net, ZERO)
            result.transactions.append(
                Transaction(
                    row=row,
                    when=when,
                    kind="tausch",
                    coin=asset,
                    amount=quantity,
                    price=value / quantity,
                    fee=min(spread, value),
                    to_coin=to_coin,
                    to_amount=to_amount,
                    source="Coinbase",
                )
            )
        elif kind_text in _COINBASE_STAKING or kind_text in _COINBASE_OTHER_INCOME:
            kind = "staking" if kind_text in _COINBASE_STAKING else "einnahme"
            result.transactions.append(
                Transaction(
                    row=row,
                    when=when,
                    kind=kind,
                    coin=asset,
                    amount=quantity,
                    price=unit,
                    source="Coinbase",
                )
            )
        else:
            result.skipped[f"Coinbase-Typ „{cell(cells, 'type')}“ (nicht berechnet)"] += 1
    errors.raise_if_any()


def _optional_number(text: str) -> Decimal | None:
    return parse_number(text, style="en") if text else None
