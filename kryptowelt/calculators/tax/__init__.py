"""German income tax on crypto for private investors (pure Python, `Decimal`, no Django).

- `rules`: the rules of the law as figures and functions (holding period, Freigrenzen), with
  their sources;
- `settings`: the reader's choices (FIFO/LIFO, prices, when rewards flow, loss carry-back),
  each with its German explanation and source;
- `records`: the input (`Transaction`) and the results (`Disposal`, `Income`, `TaxReport`, …);
- `fifo`: matching disposals to acquisition lots per coin (FIFO, or LIFO on request);
- `years`: each calendar year with its rules, and § 23 losses carried across years;
- `report`: the entry point `tax_report` (checks the input, matches, sums up the years);
- `text`: German notation of amounts, dates and row references in messages.
"""
