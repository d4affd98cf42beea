"""Reading the reader's transactions from CSV: our own format and the exports of exchanges.
Pure Python, no Django; everything happens in memory and nothing is stored.

How an upload is read (`reader.parse_upload`): `decoding` turns the bytes into text,
`table` finds the header line among the first lines and asks the `registry` which format
it belongs to, then that format's parser turns the rows into `Transaction`s of the tax
engine, collecting a German message per bad row (`errors`). Numbers and dates in German
and English notation are read by `parsing`; exchange trades without euro amounts are valued
with our stored prices by `valuation`.

Each export format is one module in `formats/` that registers itself with
`registry.register(FileFormat(...))`: its name, its German label, how it is recognised from
the header's column names and how its rows become transactions. `formats/__init__.py`
imports every module there, so a new exchange is one new module.

Transfers between the reader's own accounts (deposits, withdrawals, sends, receives) are not
taxable and are listed as skipped; withdrawal fees paid in coins become "Gebühr" rows.
"""
