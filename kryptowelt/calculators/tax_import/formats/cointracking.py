"""CoinTracking trade list (Enter Coins → Trade Table → Export → CSV): `"Type","Buy","Cur.",
"Sell","Cur.","Fee","Cur.","Exchange","Group","Comment","Date"` (optionally `Tx-ID`, `Buy Value
in EUR`, `Sell Value in EUR` and more); in German `"Typ","Kauf","Cur.","Verkauf","Cur.",
"Gebühr","Cur.","Börse","Gruppe","Kommentar","Datum"`. The three "Cur." columns belong to the
amount before them, so we read the header by position. The variant with values (`"Type","Buy",
"Cur.","Value in BTC","Value in EUR","Sell","Cur.","Value in BTC","Value in EUR","Spread",
"Exchange","Group","Date"`) is read as well. Column sets after public converters (BittyTax and
tools writing CoinTracking files, see `docs/calculators.md`).

Dates follow the account's settings: "2024-01-15 10:00:00", "15.01.2024 10:00:00",
"2019/12/04 20:06:33" or "11/01/2021 09:17:37" – the last is read day-first or month-first only
if some day of the file is above 12, otherwise we ask for an unambiguous export. Times are read
as German time (set CoinTracking's time zone to Europe/Berlin). Numbers may be English or
German ("0,5"); the whole file is read one way.

Types (English / German): Trade; Deposit / Einzahlung, Withdrawal / Auszahlung (transfers
between own wallets, a fee in coins being a disposal); Staking, Masternode, Minting (staking);
Lending Income, Interest Income (lending); Airdrop; Income, Mining, Reward/Bonus, Gift/Tip
received (other income – mining as a trade is not covered); Spend (paying with coins: a sale
at market value); Donation, Gift, Lost, Stolen (coins gone without consideration); Other Fee
(a fee in coins). Margin and derivative types are not computed. German type names other than
Einzahlung are our assumption. Euro values come from the `Value in EUR` columns where present,
else from our daily close. A fee is taken from the balance in addition to the amounts
(CoinTracking's bookkeeping; our reading, no published rule found)."""

from __future__ import annotations

import datetime as dt
import re

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.rules import FIAT, ZERO
from kryptowelt.calculators.tax_import.columns import at, coin_symbol, file_style, number
from kryptowelt.calculators.tax_import.errors import TaxImportError
from kryptowelt.calculators.tax_import.parsing import parse_local_datetime
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table, count_row
from kryptowelt.calculators.tax_import.registry import FileFormat, register
from kryptowelt.calculators.tax_import.valuation import (
    exchange_source,
    record_coin_fee,
    record_income,
    record_trade,
    record_transfer,
)

SOURCE = "CoinTracking"
_TYPES = {
    "trade": "trade",
    "deposit": "einzahlung",
    "einzahlung": "einzahlung",
    "withdrawal": "auszahlung",
    "auszahlung": "auszahlung",
    "staking": "staking",
    "masternode": "staking",
    "minting": "staking",
    "lending income": "lending",
    "interest income": "lending",
    "zinsen": "lending",
    "airdrop": "airdrop",
    "income": "einnahme",
    "einnahme": "einnahme",
    "einkommen": "einnahme",
    "mining": "einnahme",
    "reward/bonus": "einnahme",
    "belohnung/bonus": "einnahme",
    "gift/tip": "einnahme",
    "geschenk/trinkgeld": "einnahme",
    "spend": "spend",
    "ausgabe": "spend",
    "donation": "abgang",
    "spende": "abgang",
    "gift": "abgang",
    "geschenk": "abgang",
    "lost": "abgang",
    "verloren": "abgang",
    "stolen": "abgang",
    "gestohlen": "abgang",
    "other fee": "fee",
    "sonstige gebühr": "fee",
}
_SKIP = ("margin", "derivative", "derivat", "futures")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})")


def _detect(names: frozenset[str]) -> bool:
    english = {"type", "buy", "sell", "cur", "date"} <= names
    german = {"typ", "kauf", "verkauf", "cur", "datum"} <= names
    return english or german


def _positions(header: list[str]) -> dict[str, int | None]:
    """Column positions, each "cur" and "value in eur" taken as the one after its amount."""

    def after(start: int | None, name: str, stop: tuple[str, ...]) -> int | None:
        if start is None:
            return None
        for index in range(start + 1, len(header)):
            if header[index] == name:
                return index
            if header[index] in stop:
                return None
        return None

    def find(*names: str) -> int | None:
        return next((i for i, n in enumerate(header) if n in names), None)

    buy, sell, fee = find("buy", "kauf"), find("sell", "verkauf"), find("fee", "gebuehr")
    amounts = ("buy", "kauf", "sell", "verkauf", "fee", "gebuehr")
    return {
        "type": find("type", "typ"),
        "buy": buy,
        "buy_cur": after(buy, "cur", amounts),
        "buy_eur": after(buy, "value_in_eur", amounts),
        "sell": sell,
        "sell_cur": after(sell, "cur", amounts),
        "sell_eur": after(sell, "value_in_eur", amounts),
        "fee": fee,
        "fee_cur": after(fee, "cur", amounts),
        "exchange": find("exchange", "boerse"),
        "date": find("date", "datum", "trade_date"),
    }


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    errors = table.errors
    result.exchange = SOURCE
    col = _positions(table.header)
    rows = []
    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        rows.append((row, tuple(cells)))
    errors.raise_if_any()
    style = file_style(rows, (col["buy"], col["sell"], col["fee"], col["buy_eur"], col["sell_eur"]))
    day_first = _day_first(rows, col["date"])
    if day_first is None:
        sample = next(
            (
                at(list(cells), col["date"])
                for _, cells in rows
                if _SLASH.match(at(list(cells), col["date"]))
            ),
            None,
        )
        if sample is not None:
            raise TaxImportError(
                [
                    f"Die Daten der CoinTracking-Datei (z. B. „{sample[:20]}“) lassen nicht "
                    "erkennen, ob der Tag oder der Monat vorne steht. Bitte exportieren Sie mit "
                    "dem Datumsformat JJJJ-MM-TT oder TT.MM.JJJJ."
                ]
            )
    for row, cells in rows:
        cells = list(cells)
        text = at(cells, col["type"])
        kind = _TYPES.get(text.lower())
        if kind is None:
            if any(word in text.lower() for word in _SKIP):
                result.skipped["Margin und Derivate (nicht berechnet)"] += 1
            else:
                errors.add(row, f"den CoinTracking-Typ „{text[:40]}“ kennen wir nicht.")
            continue
        try:
            when = _date(at(cells, col["date"]), day_first)
        except ValueError:
            errors.add(row, f"„{at(cells, col['date'])[:40]}“ ist kein lesbares Datum.")
            continue
        try:
            buy = number(at(cells, col["buy"]), style=style)
            sell = number(at(cells, col["sell"]), style=style)
            fee = number(at(cells, col["fee"]), style=style)
            buy_eur = number(at(cells, col["buy_eur"]), style=style)
            sell_eur = number(at(cells, col["sell_eur"]), style=style)
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        buy_cur = coin_symbol(at(cells, col["buy_cur"]))
        sell_cur = coin_symbol(at(cells, col["sell_cur"]))
        fee_cur = coin_symbol(at(cells, col["fee_cur"]))
        source = SOURCE
        if exchange := at(cells, col["exchange"])[:40]:
            source = f"{SOURCE}: {exchange}"
        _row(
            row,
            when,
            kind,
            buy,
            buy_cur,
            buy_eur,
            sell,
            sell_cur,
            sell_eur,
            fee,
            fee_cur,
            source,
            result,
            errors,
            price_lookup,
        )
    errors.raise_if_any()


def _row(
    row,
    when,
    kind,
    buy,
    buy_cur,
    buy_eur,
    sell,
    sell_cur,
    sell_eur,
    fee,
    fee_cur,
    source,
    result,
    errors,
    price_lookup,
) -> None:
    common = {"row": row, "when": when, "source": source, "result": result, "errors": errors}
    fee_third = ZERO
    if fee > 0 and fee_cur not in {buy_cur, sell_cur}:
        value = record_coin_fee(coin=fee_cur, amount=fee, price_lookup=price_lookup, **common)
        if value is None:
            return
        fee_third = value
    if kind == "trade":
        if buy <= 0 or sell <= 0 or not buy_cur or not sell_cur:
            errors.add(row, "bei einem Trade fehlen Kauf- oder Verkaufsmenge.")
            return
        record_trade(
            give=sell_cur,
            give_amount=sell,
            give_fee=fee if fee_cur == sell_cur else ZERO,
            get=buy_cur,
            get_amount=buy,
            get_fee=fee if fee_cur == buy_cur else ZERO,
            price_lookup=price_lookup,
            fee_third=fee_third,
            give_value=sell_eur or buy_eur or None,
            **common,
        )
    elif kind in {"einzahlung", "auszahlung"}:
        coin, amount = (buy_cur, buy) if kind == "einzahlung" else (sell_cur, sell)
        if amount <= 0:
            errors.add(row, "die Menge fehlt.")
            return
        record_transfer(
            kind=kind, coin=coin, amount=amount, row=row, when=when, source=source, result=result
        )
        if fee > 0 and fee_cur == coin and coin not in FIAT:
            record_coin_fee(coin=coin, amount=fee, price_lookup=price_lookup, **common)
    elif kind in {"staking", "lending", "airdrop", "einnahme"}:
        if buy <= 0 or not buy_cur:
            errors.add(row, "die erhaltene Menge fehlt.")
            return
        if buy_cur in FIAT:
            result.skipped["Einnahmen in Euro/Fiat (nicht berechnet)"] += 1
            return
        record_income(
            kind=kind,
            coin=buy_cur,
            amount=buy,
            unit_price=buy_eur / buy if buy_eur else None,
            price_lookup=price_lookup,
            **common,
        )
    elif kind in {"spend", "abgang", "fee"}:
        if sell <= 0 or not sell_cur:
            errors.add(row, "die abgegebene Menge fehlt.")
            return
        if sell_cur in FIAT:
            result.skipped["Ausgaben in Euro/Fiat"] += 1
            return
        if kind == "abgang":
            result.transactions.append(
                Transaction(
                    row=row,
                    when=when,
                    kind="abgang",
                    coin=sell_cur,
                    amount=sell,
                    price=ZERO,
                    source=source,
                    file=result.file,
                )
            )
        elif kind == "fee":
            record_coin_fee(
                coin=sell_cur,
                amount=sell,
                price_lookup=price_lookup,
                unit_price=sell_eur / sell if sell_eur else None,
                **common,
            )
        else:  # paying with coins: a sale at their market value
            _spend(row, when, sell, sell_cur, sell_eur, source, result, errors, price_lookup)


def _spend(row, when, amount, coin, value, source, result, errors, price_lookup) -> None:
    """Paying with coins: a sale at their market value (the export's, else our daily close)."""
    if value:
        result.transactions.append(
            Transaction(
                row=row,
                when=when,
                kind="verkauf",
                coin=coin,
                amount=amount,
                price=value / amount,
                source=source,
                file=result.file,
                price_source=exchange_source(source),
                price_time=when,
                market=True,
            )
        )
        return
    before = len(result.transactions)
    record_coin_fee(
        row=row,
        when=when,
        coin=coin,
        amount=amount,
        source=source,
        price_lookup=price_lookup,
        result=result,
        errors=errors,
    )
    if len(result.transactions) > before:  # the same valuation, booked as a sale
        result.transactions[-1] = result.transactions[-1]._replace(kind="verkauf")


def _day_first(rows, position) -> bool | None:
    """For dates like "11/01/2021": True if some first number is above 12, False if some
    second number is, None if the file never tells (or uses no such dates)."""
    for _, cells in rows:
        match = _SLASH.match(at(list(cells), position))
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12:
                return True
            if second > 12:
                return False
    return None


def _date(text: str, day_first: bool | None) -> dt.datetime:
    match = _SLASH.match(text)
    if match:
        a, b, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        day, month = (a, b) if day_first else (b, a)
        return dt.datetime(
            year,
            month,
            day,
            int(match.group(4) or 0),
            int(match.group(5) or 0),
            int(match.group(6) or 0),
        )
    if _YMD_SLASH.match(text):
        text = text.replace("/", "-", 2)
    return parse_local_datetime(text)


register(
    FileFormat(
        name="cointracking",
        label="CoinTracking (Trade-Liste)",
        detect=_detect,
        parse=_parse,
        priority=30,
    )
)
