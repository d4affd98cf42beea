"""Blockpit transaction export: `Blockpit ID, Timestamp, Source Type, Source Name,
Integration, Transaction Type, Outgoing Asset, Outgoing Amount, Incoming Asset, Incoming
Amount, Fee Asset, Fee Amount, Transaction ID, Note, Merge ID` – one row per transaction with
an outgoing side, an incoming side or both. Column set after the public reader in BittyTax;
the labels (Transaction Type) after Blockpit's help pages ("Basics on Labeling and Merging of
Transactions"). Times: Blockpit asks for UTC in its imports, so the export's timestamps are
read as UTC (ISO or "15.03.2024 10:00:00"); numbers English or German. German column names
(`Zeitstempel`, `Transaktionstyp`, `Ausgehendes Asset`, …) are our assumption.

Labels: Trade (incoming and outgoing); Deposit, Withdrawal, Non-Taxable, Transfer (transfers
between own wallets); Staking, Masternode (staking); Interest, Lending (lending); Airdrop;
Bounty, Income, Mining, Cashback (other income); Payment (paying with coins: a sale at market
value); Fee (a fee in coins); Gift (outgoing), Lost (coins gone without consideration).
Derivatives are not computed. Gift received, Hard Fork, Token Migration and Unlabeled need
facts the export lacks (the giver's acquisition, the old coin) and are named as errors. A fee
is a disposal of the fee asset and the trade's fee (amounts read as net of fees: our reading)."""

from __future__ import annotations

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.rules import FIAT, ZERO
from kryptowelt.calculators.tax_import.columns import (
    at,
    coin_symbol,
    file_style,
    first_column,
    has_any,
    number,
)
from kryptowelt.calculators.tax_import.parsing import exchange_time
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table, count_row
from kryptowelt.calculators.tax_import.registry import FileFormat, register
from kryptowelt.calculators.tax_import.valuation import (
    record_coin_fee,
    record_income,
    record_trade,
    record_transfer,
)

SOURCE = "Blockpit"
_OUT_ASSET = ("outgoing_asset", "ausgehendes_asset", "ausgehender_vermoegenswert")
_OUT_AMOUNT = ("outgoing_amount", "ausgehender_betrag", "ausgehende_menge")
_IN_ASSET = ("incoming_asset", "eingehendes_asset", "eingehender_vermoegenswert")
_IN_AMOUNT = ("incoming_amount", "eingehender_betrag", "eingehende_menge")
_TYPE = ("transaction_type", "transaktionstyp", "label")
_LABELS = {
    "trade": "trade",
    "deposit": "einzahlung",
    "withdrawal": "auszahlung",
    "transfer": "transfer",
    "non-taxable": "transfer",
    "non taxable": "transfer",
    "staking": "staking",
    "masternode": "staking",
    "interest": "lending",
    "lending": "lending",
    "airdrop": "airdrop",
    "bounty": "einnahme",
    "bounties": "einnahme",
    "income": "einnahme",
    "mining": "einnahme",
    "cashback": "einnahme",
    "payment": "payment",
    "fee": "fee",
    "gift": "gift",
    "lost": "abgang",
}
_UNSUPPORTED = {
    "hard fork": "eine Hard Fork (Anschaffung der neuen Coins hängt an den alten)",
    "token migration": "eine Token-Migration",
    "unlabeled": "eine in Blockpit nicht zugeordnete Transaktion",
    "unlabeled deposit": "eine in Blockpit nicht zugeordnete Einzahlung",
    "unlabeled withdrawal": "eine in Blockpit nicht zugeordnete Auszahlung",
}


def _detect(names: frozenset[str]) -> bool:
    return has_any(names, _TYPE, _OUT_ASSET, _IN_ASSET, _IN_AMOUNT)


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    c, errors = table.columns, table.errors
    result.exchange = SOURCE
    col = {
        "time": first_column(c, "timestamp", "zeitstempel", "date", "datum"),
        "type": first_column(c, *_TYPE),
        "out_asset": first_column(c, *_OUT_ASSET),
        "out_amount": first_column(c, *_OUT_AMOUNT),
        "in_asset": first_column(c, *_IN_ASSET),
        "in_amount": first_column(c, *_IN_AMOUNT),
        "fee_asset": first_column(c, "fee_asset", "gebuehren_asset", "gebuehr_asset"),
        "fee_amount": first_column(c, "fee_amount", "gebuehrenbetrag", "gebuehr_betrag"),
        "source": first_column(c, "source_name", "quellname", "integration"),
    }
    rows = []
    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        rows.append((row, tuple(cells)))
    errors.raise_if_any()
    style = file_style(rows, (col["out_amount"], col["in_amount"], col["fee_amount"]))
    for row, cells in rows:
        cells = list(cells)
        text = at(cells, col["type"])
        label = text.lower().replace("_", " ")
        if label.startswith("derivative") or label.startswith("margin"):
            result.skipped["Derivate und Margin (nicht berechnet)"] += 1
            continue
        if label in _UNSUPPORTED or label not in _LABELS:
            what = _UNSUPPORTED.get(label, f"der Blockpit-Typ „{text[:30]}“")
            errors.add(
                row,
                f"{what} lässt sich aus dem Export nicht berechnen; bitte in "
                "unserem Format eintragen.",
            )
            continue
        kind = _LABELS[label]
        try:
            when = exchange_time(at(cells, col["time"]))
        except ValueError:
            errors.add(row, f"„{at(cells, col['time'])[:40]}“ ist kein lesbarer Zeitstempel.")
            continue
        try:
            out_amount = abs(number(at(cells, col["out_amount"]), style=style))
            in_amount = abs(number(at(cells, col["in_amount"]), style=style))
            fee = abs(number(at(cells, col["fee_amount"]), style=style))
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        out_asset = coin_symbol(at(cells, col["out_asset"]))
        in_asset = coin_symbol(at(cells, col["in_asset"]))
        fee_asset = coin_symbol(at(cells, col["fee_asset"]))
        source = SOURCE
        if name := at(cells, col["source"])[:40]:
            source = f"{SOURCE}: {name}"
        common = {"row": row, "when": when, "source": source, "result": result, "errors": errors}
        fee_value = ZERO
        if fee > 0 and fee_asset:
            value = record_coin_fee(coin=fee_asset, amount=fee, price_lookup=price_lookup, **common)
            if value is None:
                continue
            fee_value = value
        if kind == "trade":
            if not (out_asset and in_asset and out_amount > 0 and in_amount > 0):
                errors.add(row, "bei einem Trade fehlen die ein- oder ausgehende Seite.")
                continue
            record_trade(
                give=out_asset,
                give_amount=out_amount,
                give_fee=ZERO,
                get=in_asset,
                get_amount=in_amount,
                get_fee=ZERO,
                price_lookup=price_lookup,
                fee_third=fee_value,
                **common,
            )
        elif kind in {"einzahlung", "auszahlung", "transfer"}:
            incoming = kind == "einzahlung" or (kind == "transfer" and in_amount > 0)
            coin, amount = (in_asset, in_amount) if incoming else (out_asset, out_amount)
            if amount <= 0:
                errors.add(row, "die Menge fehlt.")
                continue
            record_transfer(
                kind="einzahlung" if incoming else "auszahlung",
                coin=coin,
                amount=amount,
                row=row,
                when=when,
                source=source,
                result=result,
            )
        elif kind in {"staking", "lending", "airdrop", "einnahme"}:
            if in_amount <= 0 or not in_asset:
                errors.add(row, "die eingehende Menge fehlt.")
                continue
            if in_asset in FIAT:
                result.skipped["Einnahmen in Euro/Fiat (nicht berechnet)"] += 1
                continue
            record_income(
                kind=kind,
                coin=in_asset,
                amount=in_amount,
                unit_price=None,
                price_lookup=price_lookup,
                **common,
            )
        elif kind == "gift" and in_amount > 0:
            errors.add(
                row,
                "ein erhaltenes Geschenk übernimmt die Anschaffung des Schenkers "
                "(§ 23 Abs. 1 Satz 3 EStG); bitte mit dessen Kaufdatum und Preis "
                "in unserem Format eintragen.",
            )
        elif kind in {"gift", "abgang"}:
            if out_amount <= 0 or not out_asset:
                errors.add(row, "die ausgehende Menge fehlt.")
                continue
            result.transactions.append(
                Transaction(
                    row=row,
                    when=when,
                    kind="abgang",
                    coin=out_asset,
                    amount=out_amount,
                    price=ZERO,
                    source=source,
                    file=result.file,
                )
            )
        elif kind in {"payment", "fee"}:
            if out_amount <= 0 or not out_asset:
                errors.add(row, "die ausgehende Menge fehlt.")
                continue
            before = len(result.transactions)
            record_coin_fee(coin=out_asset, amount=out_amount, price_lookup=price_lookup, **common)
            if kind == "payment" and len(result.transactions) > before:
                result.transactions[-1] = result.transactions[-1]._replace(kind="verkauf")
    errors.raise_if_any()


register(
    FileFormat(
        name="blockpit",
        label="Blockpit (Transaktionsexport)",
        detect=_detect,
        parse=_parse,
        priority=30,
    )
)
