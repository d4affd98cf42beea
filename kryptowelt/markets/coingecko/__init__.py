"""CoinGecko's public API v3: `client` (the only code that speaks HTTP to CoinGecko),
`payloads` (validation of its answers into typed records) and `errors`."""
