"""Bitpanda transaction history (Verlauf → Exportieren → CSV generieren,
`bitpanda-trades-….csv`): a few lines about the account before the table, then `Transaction ID,
Timestamp, Transaction Type, In/Out, Amount Fiat, Fiat, Amount Asset, Asset, Asset market
price, Asset market price currency, Asset class, Product ID, Fee, Fee asset, Spread, Spread
Currency` (newer exports add `Fee percent` and `Tax Fiat`; we read by name). English numbers,
"-" for an empty value; timestamps ISO 8601 with offset ("2025-09-02T18:15:07+02:00"), older
ones without offset are read as UTC. No official description is published; the columns follow
public readers (BittyTax, CoinTaxman) and sample rows in public tests – flagged in
`docs/calculators.md`.

Row types (`Transaction Type`, `In/Out`):
- `buy` (outgoing fiat) / `sell` (incoming fiat): a purchase or sale. `Amount Fiat` is the
  money that moved; when `Fee asset` is the fiat currency the fee is part of it, so the
  acquisition cost is `Amount Fiat` and the proceeds of a sale are `Amount Fiat` (assumption
  from public sample rows, where Amount Asset × price ≈ Amount Fiat). A fee in another asset
  (BEST) is a separate "Gebühr" disposal of that asset and the trade's fee.
- `reward`: staking reward, income under § 22 Nr. 3 EStG at `Asset market price`.
- `deposit` / `withdrawal` of crypto: transfers between own wallets; a withdrawal fee in coins
  is a disposal. Fiat deposits and withdrawals are only counted.
- `transfer`: coins moved by Bitpanda (incoming or outgoing); read as a transfer. Bitpanda
  also books rewards such as BEST this way – the result page says so.
- `transfer(stake)`, `transfer(unstake)`: into or out of staking, skipped.
- Asset classes other than crypto (stocks, ETFs, metals) are skipped and counted; metals sold
  within a year are private sales too and count towards the Freigrenze (page note).
Any other type is named as an error rather than guessed.
"""

from __future__ import annotations

from kryptowelt.calculators.tax.rules import FIAT, ZERO
from kryptowelt.calculators.tax_import.columns import at, coin_symbol, first_column, number
from kryptowelt.calculators.tax_import.parsing import exchange_time
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table, count_row
from kryptowelt.calculators.tax_import.registry import FileFormat, has_columns, register
from kryptowelt.calculators.tax_import.valuation import (
    record_coin_fee,
    record_income,
    record_trade,
    record_transfer,
)

SOURCE = "Bitpanda"
_CRYPTO_CLASSES = {"", "-", "cryptocurrency", "crypto", "crypto index", "cryptocurrencies"}


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    c, errors = table.columns, table.errors
    result.exchange = SOURCE
    col = {
        "time": first_column(c, "timestamp", "created_at"),
        "type": first_column(c, "transaction_type", "type"),
        "inout": first_column(c, "in_out"),
        "fiat_amount": first_column(c, "amount_fiat"),
        "fiat": first_column(c, "fiat"),
        "amount": first_column(c, "amount_asset"),
        "asset": first_column(c, "asset"),
        "price": first_column(c, "asset_market_price"),
        "price_currency": first_column(c, "asset_market_price_currency"),
        "asset_class": first_column(c, "asset_class"),
        "fee": first_column(c, "fee"),
        "fee_asset": first_column(c, "fee_asset"),
    }
    other_classes: set[str] = set()
    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        kind = at(cells, col["type"]).lower()
        asset_class = at(cells, col["asset_class"]).lower()
        asset = coin_symbol(at(cells, col["asset"]))
        if kind in {"transfer(stake)", "transfer(unstake)"}:
            result.skipped["Übertrag in oder aus Staking (Bitpanda)"] += 1
            continue
        if asset_class == "fiat" or asset in FIAT:
            result.skipped["Ein- oder Auszahlung in Euro oder anderer Währung"] += 1
            continue
        if asset_class not in _CRYPTO_CLASSES:
            other_classes.add(at(cells, col["asset_class"]))
            result.skipped["Aktien, ETFs, Edelmetalle u. a. (keine Kryptowerte)"] += 1
            continue
        try:
            when = exchange_time(at(cells, col["time"]))
        except ValueError:
            errors.add(row, f"„{at(cells, col['time'])[:40]}“ ist kein lesbarer Zeitstempel.")
            continue
        try:
            amount = abs(number(at(cells, col["amount"])))
            fiat_amount = abs(number(at(cells, col["fiat_amount"])))
            price = number(at(cells, col["price"]))
            fee = abs(number(at(cells, col["fee"])))
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        fiat = at(cells, col["fiat"]).upper() or "EUR"
        fee_asset = coin_symbol(at(cells, col["fee_asset"])) if fee else ""
        inout = at(cells, col["inout"]).lower()
        if amount <= 0:
            errors.add(row, "die Menge (Amount Asset) fehlt oder ist 0.")
            continue
        if kind in {"buy", "sell"}:
            _trade(
                row,
                when,
                kind,
                asset,
                amount,
                fiat,
                fiat_amount,
                fee,
                fee_asset,
                result,
                errors,
                price_lookup,
            )
        elif kind == "reward":
            euro_price = price if at(cells, col["price_currency"]).upper() in {"EUR", ""} else None
            if not euro_price and fiat == "EUR" and fiat_amount:
                euro_price = fiat_amount / amount
            record_income(
                row=row,
                when=when,
                kind="staking",
                coin=asset,
                amount=amount,
                unit_price=euro_price or None,
                source=SOURCE,
                price_lookup=price_lookup,
                result=result,
                errors=errors,
            )
        elif kind in {"deposit", "withdrawal", "transfer"}:
            outgoing = kind == "withdrawal" or (kind == "transfer" and inout == "outgoing")
            record_transfer(
                row=row,
                when=when,
                kind="auszahlung" if outgoing else "einzahlung",
                coin=asset,
                amount=amount,
                source=SOURCE,
                result=result,
            )
            if kind == "transfer":
                result.skipped["davon Bitpanda-„transfer“ (auch Rewards möglich, s. Hinweis)"] += 1
            if outgoing and fee and fee_asset not in FIAT:
                record_coin_fee(
                    row=row,
                    when=when,
                    coin=fee_asset or asset,
                    amount=fee,
                    source=SOURCE,
                    price_lookup=price_lookup,
                    result=result,
                    errors=errors,
                )
        else:
            errors.add(
                row,
                f"den Bitpanda-Typ „{kind[:30]}“ kennen wir nicht; bitte tragen Sie diese Zeile "
                "in unserem Format ein.",
            )
    if other_classes:
        result.notes.append(
            "Nicht berechnet: " + ", ".join(sorted(other_classes)) + ". Gewinne aus Edelmetallen "
            "innerhalb eines Jahres sind ebenfalls private Veräußerungsgeschäfte und zählen "
            "zur Freigrenze von § 23 EStG."
        )
    if result.skipped["davon Bitpanda-„transfer“ (auch Rewards möglich, s. Hinweis)"]:
        result.notes.append(
            "Bitpanda bucht mit „transfer“ auch Belohnungen (z. B. BEST). Wir rechnen diese "
            "Zeilen als Übertrag zwischen eigenen Konten; war es eine Belohnung, tragen Sie sie "
            "als Einnahme in unserem Format nach."
        )
    errors.raise_if_any()


def _trade(
    row, when, kind, asset, amount, fiat, fiat_amount, fee, fee_asset, result, errors, price_lookup
) -> None:
    fee_in_fiat = fee if fee and fee_asset in {fiat, ""} else ZERO
    fee_third = ZERO
    if fee and not fee_in_fiat:
        value = record_coin_fee(
            row=row,
            when=when,
            coin=fee_asset,
            amount=fee,
            source=SOURCE,
            price_lookup=price_lookup,
            result=result,
            errors=errors,
        )
        if value is None:
            return
        fee_third = value
    if fiat_amount <= fee_in_fiat and kind == "buy":
        errors.add(row, "der Betrag (Amount Fiat) ist nicht größer als die Gebühr.")
        return
    if kind == "buy":  # the fee is part of the money paid
        give_amount, give_fee, get_amount, get_fee = (
            fiat_amount - fee_in_fiat,
            fee_in_fiat,
            amount,
            ZERO,
        )
        give, get = fiat, asset
    else:  # the fee was deducted before the money arrived
        give_amount, give_fee, get_amount, get_fee = (
            amount,
            ZERO,
            fiat_amount + fee_in_fiat,
            fee_in_fiat,
        )
        give, get = asset, fiat
    record_trade(
        row=row,
        when=when,
        give=give,
        give_amount=give_amount,
        give_fee=give_fee,
        get=get,
        get_amount=get_amount,
        get_fee=get_fee,
        source=SOURCE,
        price_lookup=price_lookup,
        result=result,
        errors=errors,
        fee_third=fee_third,
    )


register(
    FileFormat(
        name="bitpanda",
        label="Bitpanda (Transaktionsverlauf)",
        detect=has_columns(
            "transaction_id", "transaction_type", "in_out", "amount_fiat", "amount_asset"
        ),
        parse=_parse,
        priority=30,
    )
)
