"""Reads of the markets app, one module per kind: `coins` (freshness, table, coin pages,
chips, choices), `series` (daily closes, charts) and `trends` (movers, trending coins and
topics). Writes live in `markets.services`; nothing here calls CoinGecko."""
