"""Coin logos as local files: downloaded from CoinGecko's image hosts and re-encoded, or
drawn as a badge; pages never link to CoinGecko's images."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from django.core.files.base import ContentFile

from kryptowelt.markets import logos
from kryptowelt.markets.coingecko.client import CoinGeckoClient
from kryptowelt.markets.models import Coin

logger = logging.getLogger("kryptowelt.markets")

LOGO_GENERATED = "generated"


def coin_logo_store(*, coin: Coin, data: bytes, source_url: str) -> None:
    name = f"{coin.coingecko_id.replace('.', '-')}.png"  # upload_to adds coins/
    if coin.logo:
        coin.logo.delete(save=False)
    storage, path = coin.logo.storage, f"coins/{name}"
    if storage.exists(path):  # our own file name: replace, never pile up variants
        storage.delete(path)
    coin.logo.save(name, ContentFile(data), save=False)
    coin.logo_source_url = source_url
    Coin.objects.filter(pk=coin.pk).update(logo=coin.logo.name, logo_source_url=source_url)


def coin_logo_draw(*, coin: Coin) -> None:
    """Store a drawn badge with the coin's symbol as its logo."""
    coin_logo_store(
        coin=coin,
        data=logos.logo_generate(symbol=coin.symbol, seed=coin.coingecko_id),
        source_url=LOGO_GENERATED,
    )


def coin_logos_sync(
    *,
    client: CoinGeckoClient,
    coin_ids: Iterable[str],
    image_urls: dict[str, str],
    budget_seconds: float = 60.0,
) -> int:
    """Download missing or changed logos (within a time budget; the rest next time) and
    draw a badge for coins that have none, so pages never link to CoinGecko's images."""
    started = time.monotonic()
    done = 0
    coins = Coin.objects.filter(coingecko_id__in=list(coin_ids)).order_by("rank", "coingecko_id")
    for coin in coins:
        url = image_urls.get(coin.coingecko_id, "")
        data = None
        if url and time.monotonic() - started < budget_seconds:
            raw = client.image_fetch(url=url)
            if raw is not None:
                try:
                    data = logos.logo_normalise(raw)
                except logos.LogoError as exc:
                    logger.info("Logo von %s verworfen: %s", coin.coingecko_id, exc)
        if data is not None:
            coin_logo_store(coin=coin, data=data, source_url=url)
            done += 1
        elif not coin.logo:
            coin_logo_draw(coin=coin)
    return done
