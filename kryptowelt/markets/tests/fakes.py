"""A fake CoinGecko for tests: recorded payloads served through httpx.MockTransport."""

import io
import json
from pathlib import Path

import httpx
from PIL import Image

from kryptowelt.markets.coingecko.client import CoinGeckoClient, RateLimiter

PAYLOADS = Path(__file__).parent / "payloads"
BASE_URL = "https://api.coingecko.test/api/v3"
IMAGE_HOST = "coin-images.coingecko.com"


def payload(name: str):
    return json.loads((PAYLOADS / name).read_text())


def png_bytes(colour=(200, 120, 0)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (128, 128), colour).save(buffer, format="PNG")
    return buffer.getvalue()


class FakeCoinGecko:
    """Routes requests by path; `responses[path]` is a list consumed in order (the last one
    repeats). Each item is a payload (JSON), an httpx.Response, an exception or a callable.
    The image host serves a PNG for every logo, or whatever `images(request)` answers."""

    def __init__(self, **responses):
        self.responses = {path: list(items) for path, items in responses.items()}
        self.requests: list[httpx.Request] = []
        self.images = None

    def set(self, path: str, *items):
        self.responses[path] = list(items)

    def calls(self, path: str) -> int:
        return sum(1 for r in self.requests if r.url.path.endswith(path))

    def image_calls(self) -> int:
        return sum(1 for r in self.requests if r.url.host == IMAGE_HOST)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if request.url.host == IMAGE_HOST:
            if self.images is not None:
                return self.images(request)
            return httpx.Response(200, content=png_bytes(), headers={"content-type": "image/png"})
        key = next((k for k in self.responses if path.endswith(k)), None)
        if key is None:
            return httpx.Response(404, json={"error": "coin not found"})
        items = self.responses[key]
        item = items.pop(0) if len(items) > 1 else items[0]
        if isinstance(item, Exception):
            raise item
        if callable(item):
            return item(request)
        if isinstance(item, httpx.Response):
            return item
        return httpx.Response(200, json=item)


def markets_api(**extra) -> FakeCoinGecko:
    return FakeCoinGecko(
        **{
            "/coins/markets": [payload("coins_markets_eur.json")],
            "/search/trending": [payload("search_trending.json")],
            "/market_chart": [payload("market_chart_bitcoin_eur.json")],
            **extra,
        }
    )


def make_client(handler, *, sleeps=None, **options) -> CoinGeckoClient:
    sleeps = sleeps if sleeps is not None else []
    options.setdefault("max_retries", 3)
    return CoinGeckoClient(
        base_url=options.pop("base_url", BASE_URL),
        transport=httpx.MockTransport(handler),
        limiter=RateLimiter(1000, sleep=sleeps.append),
        image_limiter=RateLimiter(1000, sleep=sleeps.append),
        sleep=sleeps.append,
        **options,
    )
