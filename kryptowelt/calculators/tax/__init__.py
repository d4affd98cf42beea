"""German income tax on crypto for private investors (pure Python, `Decimal`, no Django).

- `rules`: the rules of the law as figures and functions (holding period, Freigrenzen), with
  their sources;
- `records`: the input (`Transaction`) and the results (`Disposal`, `Income`, `TaxReport`, …);
- `fifo`: matching disposals to acquisition lots, first in, first out, per coin;
- `report`: the entry point `tax_report` (checks the input, matches, sums up each year);
- `text`: German notation of amounts and dates in messages.
"""
