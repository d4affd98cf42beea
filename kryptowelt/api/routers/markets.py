"""Kurse: coins with their current price in euros and how current it is, and a coin's daily
closes (JSON or CSV) with the range's statistics. Everything here reads the markets scope, so
shared caches keep it only as long as a price may stay (`CACHE_MARKETS_SECONDS`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from ninja import Path, Query, Router, Schema
from pydantic import Field

from kryptowelt.api.links import absolute, api_url
from kryptowelt.api.pagination import Paged, PageParams, paged
from kryptowelt.api.problems import ApiError
from kryptowelt.caching.scopes import Scope, depends_on
from kryptowelt.markets.coingecko.payloads import COIN_ID_RE
from kryptowelt.markets.models import Coin
from kryptowelt.markets.selectors.coins import TABLE_SORTS, market_table
from kryptowelt.markets.selectors.quotes import (
    coin_get,
    coin_snapshot,
    history_status,
    market_status,
    snapshot_status,
)
from kryptowelt.markets.selectors.series import daily_close_series

router = Router(tags=["Kurse"])

SOURCE = "CoinGecko (Kurse in Euro); ältere Tagesschlusskurse teils aus US-Dollar mit EZB-Referenzkursen umgerechnet"
RANGES = {"1m": 30, "3m": 91, "1j": 365, "5j": 5 * 365, "max": None}
COIN_ID_PATTERN = COIN_ID_RE.pattern


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class DataStatus(Schema):
    as_of: dt.datetime | None = Field(description="Zeitpunkt der Daten (Abruf bei der Quelle)")
    age_minutes: int | None
    is_stale: bool = Field(description="Älter als MARKETS_STALE_AFTER_MINUTES (Standard 30)")
    is_sample: bool = Field(description="Von der Demo erzeugte Beispieldaten, keine echten Kurse")
    source: str


def status_data(status) -> dict:
    return {
        "as_of": status.as_of,
        "age_minutes": status.age_minutes,
        "is_stale": status.is_stale,
        "is_sample": status.is_sample,
        "source": SOURCE,
    }


class CoinSummary(Schema):
    id: str = Field(description="Kennung (wie bei CoinGecko), z. B. bitcoin")
    symbol: str
    name: str
    rank: int | None
    price_eur: float | None
    change_1h_percent: float | None
    change_24h_percent: float | None
    change_7d_percent: float | None
    market_cap_eur: float | None
    volume_24h_eur: float | None
    as_of: dt.datetime | None = Field(description="Stand dieses Kurses")
    url: str | None
    api_url: str
    history_url: str


class CoinDetail(CoinSummary):
    high_24h_eur: float | None
    low_24h_eur: float | None
    change_30d_percent: float | None
    change_1y_percent: float | None
    circulating_supply: float | None
    total_supply: float | None
    max_supply: float | None
    ath_eur: float | None
    ath_date: dt.datetime | None
    status: DataStatus


class CoinPage(Paged[CoinSummary]):
    status: DataStatus


def _coin(coin: Coin, snapshot) -> dict:
    return {
        "id": coin.coingecko_id,
        "symbol": coin.symbol_display,
        "name": coin.name,
        "rank": coin.rank,
        "price_eur": _number(snapshot.price) if snapshot else None,
        "change_1h_percent": _number(snapshot.change_1h) if snapshot else None,
        "change_24h_percent": _number(snapshot.change_24h) if snapshot else None,
        "change_7d_percent": _number(snapshot.change_7d) if snapshot else None,
        "market_cap_eur": _number(snapshot.market_cap) if snapshot else None,
        "volume_24h_eur": _number(snapshot.total_volume) if snapshot else None,
        "as_of": (snapshot.last_updated or snapshot.fetched_at) if snapshot else None,
        "url": absolute(coin.get_absolute_url()) or None,
        "api_url": api_url(f"coins/{coin.coingecko_id}/"),
        "history_url": api_url(f"coins/{coin.coingecko_id}/history/"),
    }


@router.get("/coins/", response=CoinPage, summary="Coins mit Kursen", operation_id="coins_list")
def coins_list(
    request,
    sort: Literal[tuple(TABLE_SORTS)] = Query("rang", description="Sortierung wie auf /kurse/"),  # type: ignore[valid-type]
    direction: Literal["auf", "ab"] = Query("auf", description="auf- oder absteigend"),
    page: PageParams = Query(...),
):
    """Die Coins der Kurstabelle mit aktuellem Kurs in Euro, Änderungen, Marktkapitalisierung
    und dem Stand der Daten."""
    depends_on(Scope.MARKETS)
    snapshots = market_table(sort=sort, direction=direction)
    data = paged(request, snapshots, page, lambda window: [_coin(s.coin, s) for s in window])
    data["status"] = status_data(market_status())
    return data


def _coin_or_404(coin_id: str) -> Coin:
    coin = coin_get(coin_id=coin_id)
    if coin is None:
        raise ApiError(404, f"Den Coin „{coin_id}“ kennen wir nicht.")
    return coin


@router.get(
    "/coins/{coin_id}/", response=CoinDetail, summary="Ein Coin", operation_id="coins_detail"
)
def coins_detail(
    request,
    coin_id: str = Path(
        ..., pattern=COIN_ID_PATTERN, description="Kennung des Coins, z. B. bitcoin"
    ),
):
    depends_on(Scope.MARKETS)
    coin = _coin_or_404(coin_id)
    snapshot = coin_snapshot(coin)
    data = _coin(coin, snapshot)
    data.update(
        {
            "high_24h_eur": _number(snapshot.high_24h) if snapshot else None,
            "low_24h_eur": _number(snapshot.low_24h) if snapshot else None,
            "change_30d_percent": _number(snapshot.change_30d) if snapshot else None,
            "change_1y_percent": _number(snapshot.change_1y) if snapshot else None,
            "circulating_supply": _number(snapshot.circulating_supply) if snapshot else None,
            "total_supply": _number(snapshot.total_supply) if snapshot else None,
            "max_supply": _number(snapshot.max_supply) if snapshot else None,
            "ath_eur": _number(snapshot.ath) if snapshot else None,
            "ath_date": snapshot.ath_date if snapshot else None,
            "status": status_data(
                snapshot_status(snapshot=snapshot) if snapshot else history_status(coin=coin)
            ),
        }
    )
    return data


class ClosePoint(Schema):
    date: dt.date
    close_eur: float


class RangeStats(Schema):
    first_eur: float
    last_eur: float
    change_percent: float | None
    high_eur: float
    high_date: dt.date
    low_eur: float
    low_date: dt.date


class History(Schema):
    coin: str
    name: str
    currency: str
    range: str
    start: dt.date | None
    end: dt.date | None
    points: list[ClosePoint] = Field(description="Ein Schlusskurs je Tag (UTC), aufsteigend")
    stats: RangeStats | None
    status: DataStatus


def _stats(points: list[tuple[dt.date, Decimal]]) -> dict | None:
    if not points:
        return None
    high = max(points, key=lambda p: p[1])
    low = min(points, key=lambda p: p[1])
    first, last = points[0][1], points[-1][1]
    change = float((last - first) / first * 100) if first else None
    return {
        "first_eur": float(first),
        "last_eur": float(last),
        "change_percent": round(change, 4) if change is not None else None,
        "high_eur": float(high[1]),
        "high_date": high[0],
        "low_eur": float(low[1]),
        "low_date": low[0],
    }


HISTORY_RESPONSES = {
    "200": {
        "description": "Tagesschlusskurse in Euro",
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": "date,close_eur\n2025-01-01,90123.45\n",
            }
        },
    }
}


@router.get(
    "/coins/{coin_id}/history/",
    response=History,
    summary="Kursverlauf (Tagesschlusskurse)",
    operation_id="coins_history",
    openapi_extra={"responses": HISTORY_RESPONSES},
)
def coins_history(
    request,
    coin_id: str = Path(
        ..., pattern=COIN_ID_PATTERN, description="Kennung des Coins, z. B. bitcoin"
    ),
    range: Literal[tuple(RANGES)] = Query(
        "1j", description="Zeitraum bis zum letzten Kurs: 1m, 3m, 1j, 5j oder max"
    ),  # type: ignore[valid-type]
    start: dt.date | None = Query(None, description="Statt des Zeitraums: erster Tag (JJJJ-MM-TT)"),
    end: dt.date | None = Query(None, description="Statt des Zeitraums: letzter Tag (JJJJ-MM-TT)"),
    format: Literal["json", "csv"] = Query("json", description="json oder csv"),
):
    """Ein Schlusskurs in Euro je Tag aus unserem gespeicherten Verlauf, mit Hoch, Tief und
    Veränderung im Zeitraum; als JSON oder CSV (`format=csv`)."""
    depends_on(Scope.MARKETS)
    coin = _coin_or_404(coin_id)
    if start and end and end < start:
        raise ApiError(400, "Der letzte Tag (end) liegt vor dem ersten (start).")
    series = daily_close_series(coin_id=coin.coingecko_id, currency="eur")
    if series and not (start or end):
        days = RANGES[range]
        if days is not None:
            cutoff = series[-1][0] - dt.timedelta(days=days)
            series = [point for point in series if point[0] > cutoff]
    else:
        series = [
            point
            for point in series
            if (start is None or point[0] >= start) and (end is None or point[0] <= end)
        ]
    if format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["date", "close_eur"])
        writer.writerows((day.isoformat(), str(price)) for day, price in series)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{coin.coingecko_id}-eur.csv"'
        return response
    return {
        "coin": coin.coingecko_id,
        "name": coin.name,
        "currency": "EUR",
        "range": "eigener" if (start or end) else range,
        "start": series[0][0] if series else None,
        "end": series[-1][0] if series else None,
        "points": [{"date": day, "close_eur": float(price)} for day, price in series],
        "stats": _stats(series),
        "status": status_data(history_status(coin=coin)),
    }
