"""A stand-in for CoinGecko's API on loopback, for benchmarks that need market syncs which
really change prices (no internet here, and the real API must not be loaded by a benchmark).

Serves `/api/v3/coins/markets` (250 coins whose prices move a little on every call),
`/api/v3/search/trending` and `/api/v3/coins/<id>/market_chart` in CoinGecko's formats.
Coin images point to an unreachable host, as when the logo host is down."""

from __future__ import annotations

import json
import math
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

NAMED = [
    ("bitcoin", "btc", "Bitcoin", 90_000.0),
    ("ethereum", "eth", "Ethereum", 3_200.0),
    ("tether", "usdt", "Tether", 0.92),
    ("ripple", "xrp", "XRP", 2.1),
    ("binancecoin", "bnb", "BNB", 600.0),
    ("solana", "sol", "Solana", 180.0),
    ("usd-coin", "usdc", "USDC", 0.92),
    ("dogecoin", "doge", "Dogecoin", 0.3),
    ("cardano", "ada", "Cardano", 0.8),
    ("tron", "trx", "TRON", 0.22),
]


class Market:
    """250 coins with prices that take a small random step on every sync."""

    def __init__(self, *, seed: int = 7):
        self.random = random.Random(seed)
        self.coins = [*NAMED]
        for number in range(len(NAMED) + 1, 251):
            self.coins.append((f"bench-coin-{number}", f"bc{number}", f"Bench Coin {number}", 1.0))
        self.prices = {coin_id: price for coin_id, _, _, price in self.coins}
        self.calls = 0
        self.lock = threading.Lock()

    def markets(self) -> list[dict]:
        with self.lock:
            self.calls += 1
            now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
            entries = []
            for rank, (coin_id, symbol, name, _) in enumerate(self.coins, start=1):
                price = self.prices[coin_id] * math.exp(self.random.gauss(0, 0.004))
                self.prices[coin_id] = price
                entries.append(
                    {
                        "id": coin_id,
                        "symbol": symbol,
                        "name": name,
                        "image": f"https://logo-host.invalid/{coin_id}.png",
                        "current_price": round(price, 8),
                        "market_cap": round(price * 1_000_000 * (260 - rank)),
                        "market_cap_rank": rank,
                        "total_volume": round(price * 50_000),
                        "high_24h": round(price * 1.02, 8),
                        "low_24h": round(price * 0.98, 8),
                        "price_change_percentage_24h": round(self.random.gauss(0, 2), 4),
                        "circulating_supply": 1_000_000.0,
                        "total_supply": 2_000_000.0,
                        "max_supply": None,
                        "ath": round(price * 1.5, 8),
                        "ath_date": "2025-10-06T00:00:00.000Z",
                        "atl": round(price * 0.01, 8),
                        "atl_date": "2015-01-14T00:00:00.000Z",
                        "last_updated": now,
                        "sparkline_in_7d": {
                            "price": [
                                round(price * (1 + 0.01 * math.sin(i / 9)), 8) for i in range(168)
                            ]
                        },
                        "price_change_percentage_1h_in_currency": round(
                            self.random.gauss(0, 0.4), 4
                        ),
                        "price_change_percentage_24h_in_currency": round(
                            self.random.gauss(0, 2), 4
                        ),
                        "price_change_percentage_7d_in_currency": round(self.random.gauss(0, 5), 4),
                    }
                )
            return entries

    def market_chart(self, coin_id: str, days: str) -> dict:
        price = self.prices.get(coin_id, 1.0)
        now_ms = int(time.time() * 1000)
        count = 365 if days in ("365", "max") else max(2, int(days or 1) * 24)
        step = 86_400_000 if count == 365 else 3_600_000
        prices = [
            [now_ms - (count - i) * step, round(price * (0.7 + 0.3 * i / count), 8)]
            for i in range(count)
        ]
        return {"prices": prices, "market_caps": [], "total_volumes": []}


class _Handler(BaseHTTPRequestHandler):
    market: Market

    def do_GET(self):  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path.endswith("/coins/markets"):
            page = int(query.get("page", ["1"])[0])
            body = self.market.markets() if page == 1 else []
        elif parts.path.endswith("/search/trending"):
            body = {"coins": [], "nfts": [], "categories": []}
        elif parts.path.endswith("/market_chart"):
            coin_id = parts.path.split("/")[-2]
            body = self.market.market_chart(coin_id, query.get("days", ["1"])[0])
        else:
            self.send_response(404)
            self.end_headers()
            return
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):  # quiet
        pass


def serve(port: int = 0) -> tuple[ThreadingHTTPServer, Market]:
    """Start the server in a daemon thread; returns it (its port: server.server_port)."""
    market = Market()
    handler = type("Handler", (_Handler,), {"market": market})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, market
