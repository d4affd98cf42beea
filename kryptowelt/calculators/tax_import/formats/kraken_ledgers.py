"""Kraken ledgers export (`ledgers.csv`, History → Export → Ledgers): `txid, refid, time,
type, subtype, aclass, asset, (wallet,) amount, fee, balance`; times in UTC. A trade is two
rows with the same `refid` (`trade`/`spend`/`receive`), paired here. Staking and earn
rewards carry no euro value, so they are valued with our stored daily prices; withdrawal
fees in coins become "Gebühr" rows; transfers, deposits and withdrawals are skipped and
counted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.rules import FIAT
from kryptowelt.calculators.tax_import.kraken_codes import kraken_asset
from kryptowelt.calculators.tax_import.parsing import parse_number, utc_to_local
from kryptowelt.calculators.tax_import.records import (
    ParsedUpload,
    PriceLookup,
    Table,
    cell,
    count_row,
)
from kryptowelt.calculators.tax_import.registry import FileFormat, has_columns, register
from kryptowelt.calculators.tax_import.valuation import (
    lookup_price,
    no_price_message,
    record_income,
    record_trade,
)

_LEDGER_TRANSFER_TYPES = {
    "deposit": "Einzahlung",
    "withdrawal": "Auszahlung",
    "transfer": "Übertrag zwischen eigenen Konten",
    "margin": "Margin-Handel (nicht berechnet)",
    "rollover": "Margin-Handel (nicht berechnet)",
    "settled": "Margin-Handel (nicht berechnet)",
    "adjustment": "Korrekturbuchung",
}


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    columns, errors = table.columns, table.errors
    groups: dict[str, list[tuple[int, dt.datetime, str, Decimal, Decimal]]] = {}
    group_order: list[str] = []
    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        get = lambda key, cells=cells: cell(cells, columns, key)  # noqa: E731
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
            record_income(
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
            unit = lookup_price(price_lookup, asset, when.date())
            if unit is None:
                errors.add(row, no_price_message(asset, when.date()))
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
        record_trade(
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


register(
    FileFormat(
        name="kraken_ledgers",
        label="Kraken (Ledgers-Export)",
        detect=has_columns("txid", "refid", "time", "type", "asset", "amount", "fee"),
        parse=_parse,
        priority=20,
    )
)
