"""BISON (Boerse Stuttgart Digital) transaction export: `Transaction ID; Transaction type;
Currency; Asset; Eur (amount); Asset (amount); Asset (market price); Fee; Date (UTC -
Coordinated Universal Time)`, separated by ";" with a space after each separator; dates
"2024-01-10 10:00:00" in UTC; amounts with a decimal point (a decimal comma is read too);
symbols may be written "Btc", "Eur". No official description is published; the columns follow
public readers of the export (see `docs/calculators.md`). A German header (`Transaktions-ID;
Transaktionstyp; Währung; Asset; EUR (Betrag); Asset (Betrag); Asset (Marktpreis); Gebühr;
Datum (UTC …)`) is read as well – its wording is our assumption, not a published one.

Row types: `Buy`/`Kauf` and `Sell`/`Verkauf` against euros (BISON's spread is in the price;
`Eur (amount)` is the money that moved, a non-zero `Fee` in euros is part of it), `Deposit`/
`Einzahlung` and `Withdraw`/`Auszahlung` (euros: counted; coins: transfers between own
wallets, a fee in coins being a disposal). Anything else is named as an error."""

from __future__ import annotations

from kryptowelt.calculators.tax.rules import FIAT, ZERO
from kryptowelt.calculators.tax_import.columns import (
    at,
    coin_symbol,
    first_column,
    has_any,
    number,
)
from kryptowelt.calculators.tax_import.parsing import exchange_time
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table, count_row
from kryptowelt.calculators.tax_import.registry import FileFormat, register
from kryptowelt.calculators.tax_import.valuation import (
    record_coin_fee,
    record_trade,
    record_transfer,
)

SOURCE = "BISON"
_TYPE = ("transaction_type", "transaktionstyp")
_EUR = ("eur_amount", "eur_betrag")
_AMOUNT = ("asset_amount", "asset_betrag")
_PRICE = ("asset_market_price", "asset_marktpreis")
_DATE = (
    "date_utc_coordinated_universal_time",
    "datum_utc_coordinated_universal_time",
    "date_utc",
    "datum_utc",
)
_KINDS = {
    "buy": "buy",
    "kauf": "buy",
    "sell": "sell",
    "verkauf": "sell",
    "deposit": "deposit",
    "einzahlung": "deposit",
    "withdraw": "withdraw",
    "withdrawal": "withdraw",
    "auszahlung": "withdraw",
    "payout": "withdraw",
}


def _detect(names: frozenset[str]) -> bool:
    return has_any(names, _TYPE, _EUR, _AMOUNT, _PRICE)


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    c, errors = table.columns, table.errors
    result.exchange = SOURCE
    col = {
        "type": first_column(c, *_TYPE),
        "currency": first_column(c, "currency", "waehrung"),
        "asset": first_column(c, "asset"),
        "eur": first_column(c, *_EUR),
        "amount": first_column(c, *_AMOUNT),
        "fee": first_column(c, "fee", "gebuehr"),
        "date": next((c[n] for n in c if n.startswith(("date_utc", "datum_utc"))), None),
    }
    if col["date"] is None:
        col["date"] = first_column(c, "date", "datum")
    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        text = at(cells, col["type"])
        kind = _KINDS.get(text.lower())
        if kind is None:
            errors.add(row, f"den BISON-Typ „{text[:30]}“ kennen wir nicht.")
            continue
        stamp = at(cells, col["date"])
        try:
            when = exchange_time(stamp)
        except ValueError:
            errors.add(row, f"„{stamp[:40]}“ ist kein lesbares Datum.")
            continue
        try:
            eur = abs(number(at(cells, col["eur"]), style="auto"))
            amount = abs(number(at(cells, col["amount"]), style="auto"))
            fee = abs(number(at(cells, col["fee"]), style="auto"))
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        asset = coin_symbol(at(cells, col["asset"]))
        if not asset or asset in FIAT:
            result.skipped["Ein- oder Auszahlung in Euro"] += 1
            continue
        if amount <= 0:
            errors.add(row, "die Menge (Asset amount) fehlt oder ist 0.")
            continue
        if kind in {"deposit", "withdraw"}:
            record_transfer(
                row=row,
                when=when,
                kind="einzahlung" if kind == "deposit" else "auszahlung",
                coin=asset,
                amount=amount,
                source=SOURCE,
                result=result,
            )
            if kind == "withdraw" and fee:
                record_coin_fee(
                    row=row,
                    when=when,
                    coin=asset,
                    amount=fee,
                    source=SOURCE,
                    price_lookup=price_lookup,
                    result=result,
                    errors=errors,
                )
            continue
        if eur <= fee:
            errors.add(row, "der Euro-Betrag fehlt oder ist nicht größer als die Gebühr.")
            continue
        buying = kind == "buy"
        record_trade(
            row=row,
            when=when,
            give="EUR" if buying else asset,
            give_amount=eur - fee if buying else amount,
            give_fee=fee if buying else ZERO,
            get=asset if buying else "EUR",
            get_amount=amount if buying else eur + fee,
            get_fee=ZERO if buying else fee,
            source=SOURCE,
            price_lookup=price_lookup,
            result=result,
            errors=errors,
        )
    errors.raise_if_any()


register(
    FileFormat(
        name="bison", label="BISON (Transaktionen)", detect=_detect, parse=_parse, priority=30
    )
)
