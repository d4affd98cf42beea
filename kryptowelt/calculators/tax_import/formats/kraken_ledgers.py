"""Kraken ledgers export (`ledgers.csv`, History → Export → Ledgers), the export Kraken
recommends over the trades export (the trades history shows only estimated fees and lacks the
"Buy Crypto" button and app purchases; Kraken support, "Differences between ledger and trades
history"). Columns `txid, refid, time, type, subtype, aclass, asset, (wallet,) amount, fee,
balance` (newer exports add `wallet` and more; we read by name); times in UTC; English numbers.
Field meanings after Kraken support, "How to interpret Ledger history fields".

Row types:
- `trade`, and `spend`/`receive` (Buy Crypto button, app): the legs of one trade share a
  `refid` and are paired here; each leg's `fee` is in that leg's asset; a third leg with amount
  0 and a fee is a fee in a third asset. Partially filled orders are several trades, each with
  its own refid.
- `staking`, `earn` with subtype `reward` (or none): staking income (§ 22 Nr. 3 EStG), valued
  with our daily close – the ledger has no euro value. `earn` allocation, deallocation,
  migration and `transfer` with a staking subtype (`spottostaking`, `stakingfromspot`, …) move
  coins between the reader's own Kraken wallets and are skipped.
- `transfer` without subtype and a positive amount: airdrop or fork credited by Kraken
  (income, airdrop); with a negative amount: coins removed by Kraken (a delisting), an
  "Abgang ohne Entgelt"; `invite bonus`: other income; `dividend`: other income.
- `deposit`, `withdrawal`: transfers between own wallets (kept for the history, not taxed); a
  withdrawal fee in coins is a "Gebühr" disposal.
- rows without `txid` (failed or pending), KFEE (fee credits), margin rows: skipped, counted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.rules import FIAT, ZERO
from kryptowelt.calculators.tax_import.columns import at
from kryptowelt.calculators.tax_import.kraken_codes import kraken_asset
from kryptowelt.calculators.tax_import.parsing import parse_number, utc_to_local
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table, count_row
from kryptowelt.calculators.tax_import.registry import FileFormat, has_columns, register
from kryptowelt.calculators.tax_import.valuation import (
    record_coin_fee,
    record_income,
    record_trade,
    record_transfer,
)

SOURCE = "Kraken"
_SKIPPED = {
    "margin": "Margin-Handel (nicht berechnet)",
    "margin trade": "Margin-Handel (nicht berechnet)",
    "rollover": "Margin-Handel (nicht berechnet)",
    "settled": "Margin-Handel (nicht berechnet)",
    "adjustment": "Korrekturbuchung (Umwandlung außerhalb des Handels, nicht berechnet)",
}
_INTERNAL_SUBTYPES = {
    "spottostaking",
    "stakingfromspot",
    "stakingtospot",
    "spotfromstaking",
    "spottofutures",
    "spotfromfutures",
    "allocation",
    "deallocation",
    "migration",
    "autoallocation",
}
_INCOME_TYPES = {"invite bonus": "einnahme", "dividend": "einnahme"}

Leg = tuple[int, dt.datetime, str, Decimal, Decimal]  # (row, time, asset, amount, fee)
_COLUMNS = ("txid", "refid", "time", "type", "subtype", "asset", "amount", "fee")


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    columns, errors = table.columns, table.errors
    result.exchange = SOURCE
    col = {key: columns.get(key) for key in _COLUMNS}
    groups: dict[str, list[Leg]] = {}
    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        kind = at(cells, col["type"]).lower()
        subtype = at(cells, col["subtype"]).lower()
        if not at(cells, col["txid"]):
            result.skipped["Kraken-Zeile ohne txid (fehlgeschlagen oder offen)"] += 1
            continue
        code = at(cells, col["asset"]).upper()
        if code == "KFEE":
            result.skipped["Kraken-Gebührengutschrift (KFEE)"] += 1
            continue
        asset = kraken_asset(code)
        try:
            when = utc_to_local(at(cells, col["time"]))
            amount = parse_number(at(cells, col["amount"]) or "0", style="en")
            fee = parse_number(at(cells, col["fee"]) or "0", style="en")
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        if kind in {"trade", "spend", "receive"}:
            refid = at(cells, col["refid"]) or f"row-{row}"
            groups.setdefault(refid, []).append((row, when, asset, amount, fee))
            continue
        if kind in _SKIPPED:
            result.skipped[_SKIPPED[kind]] += 1
            continue
        if subtype in _INTERNAL_SUBTYPES:
            result.skipped["Übertrag zwischen eigenen Kraken-Konten (z. B. Staking)"] += 1
            continue
        net = amount - fee
        if (
            kind == "staking"
            or (kind == "earn" and subtype in {"reward", ""})
            or (kind in _INCOME_TYPES or (kind == "transfer" and not subtype))
        ):
            if amount < 0 and kind == "transfer":
                # Removed by Kraken without payment (a delisting): the lots are used up.
                result.transactions.append(
                    Transaction(
                        row=row,
                        when=when,
                        kind="abgang",
                        coin=asset,
                        amount=-amount,
                        price=ZERO,
                        source=SOURCE,
                        file=result.file,
                    )
                )
                continue
            if net <= 0:
                result.skipped["Staking-Übertrag"] += 1
                continue
            if asset in FIAT:
                result.skipped["Zinsen in Euro/Fiat (Kapitalerträge, nicht berechnet)"] += 1
                continue
            income_kind = "airdrop" if kind == "transfer" else _INCOME_TYPES.get(kind, "staking")
            record_income(
                row=row,
                when=when,
                kind=income_kind,
                coin=asset,
                amount=net,
                unit_price=None,
                source=SOURCE,
                price_lookup=price_lookup,
                result=result,
                errors=errors,
            )
            continue
        if kind in {"deposit", "withdrawal"}:
            record_transfer(
                row=row,
                when=when,
                kind="einzahlung" if amount > 0 else "auszahlung",
                coin=asset,
                amount=abs(amount),
                source=SOURCE,
                result=result,
            )
            if fee > 0 and asset not in FIAT:
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
        result.skipped[f"Buchungsart „{kind or '–'}“ (nicht berechnet)"] += 1
    for refid, legs in groups.items():
        _trade(refid, legs, result, errors, price_lookup)
    errors.raise_if_any()


def _trade(refid: str, legs: list[Leg], result, errors, price_lookup) -> None:
    """The legs of one trade: one outgoing, one incoming, maybe a fee-only leg (amount 0)."""
    row = legs[0][0]
    outgoing = [leg for leg in legs if leg[3] < 0]
    incoming = [leg for leg in legs if leg[3] > 0]
    fee_only = [leg for leg in legs if leg[3] == 0 and leg[4] > 0]
    if len(outgoing) != 1 or len(incoming) != 1:
        errors.add(
            row,
            f"der Handel mit der Referenz {refid[:40]} hat nicht genau eine abgehende und eine "
            "eingehende Buchung; ist der Export vollständig?",
        )
        return
    _, when, give, give_amount, give_fee = outgoing[0]
    _, _, get, get_amount, get_fee = incoming[0]
    fee_third = ZERO
    for fee_row, fee_when, fee_asset, _, fee_amount in fee_only:
        value = record_coin_fee(
            row=fee_row,
            when=fee_when,
            coin=fee_asset,
            amount=fee_amount,
            source=SOURCE,
            price_lookup=price_lookup,
            result=result,
            errors=errors,
        )
        if value is None:
            return
        fee_third += value
    record_trade(
        row=row,
        when=when,
        give=give,
        give_amount=-give_amount,
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
        name="kraken_ledgers",
        label="Kraken (Ledgers-Export)",
        detect=has_columns("txid", "refid", "time", "type", "asset", "amount", "fee"),
        parse=_parse,
        priority=20,
    )
)
