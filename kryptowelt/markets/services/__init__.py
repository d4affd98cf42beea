"""Writes of the markets app, one module per kind: `sync` (prices, trending), `history`
(price history, compaction), `imports` (CSV), `logos`, `mentions`, and `state` (generation
number, sync state) which they share. Reads live in `markets.selectors`."""
