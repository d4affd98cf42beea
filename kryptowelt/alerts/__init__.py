"""Price alerts by e-mail (issue 17, item 3): a reader sets "über X €", "unter X €" or
"± N % in 24 h" on a coin page, confirms by mail (double opt-in), and gets one mail when a
market sync crosses the threshold on fresh data; the alert then pauses until re-armed.
Sits above `markets`, which only sends `markets.signals.markets_synced`."""
