"""CSV imports: long daily price histories (`kryptowelt import_prices`) and ECB EUR/USD
reference rates (`kryptowelt import_fx`). Bad rows are reported with their line number and
skipped; good rows are written in one transaction; a second run adds nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kryptowelt.markets.coingecko.payloads import COIN_ID_RE, MAX_PRICE
from kryptowelt.markets.models import Coin, FxRate, PricePoint
from kryptowelt.markets.services.history import price_points_append
from kryptowelt.markets.services.logos import coin_logo_draw
from kryptowelt.markets.services.mentions import mention_matcher_forget
from kryptowelt.markets.services.state import markets_generation_bump

# Well-known coins, for imports of coins the database does not know yet.
KNOWN_COINS = {
    "bitcoin": ("Bitcoin", "btc"),
    "ethereum": ("Ethereum", "eth"),
    "ripple": ("XRP", "xrp"),
    "binancecoin": ("BNB", "bnb"),
    "solana": ("Solana", "sol"),
    "dogecoin": ("Dogecoin", "doge"),
    "cardano": ("Cardano", "ada"),
    "avalanche-2": ("Avalanche", "avax"),
    "tether": ("Tether", "usdt"),
    "usd-coin": ("USDC", "usdc"),
}


@dataclass
class ImportReport:
    added: int = 0
    existing: int = 0
    errors: list[str] = field(default_factory=list)


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (missing columns, unreadable)."""


def _read_csv(path: Path | str | io.TextIOBase):
    if isinstance(path, io.TextIOBase):
        return path.read()
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("Die Datei ist nicht in UTF-8 kodiert.") from exc


def _csv_rows(text: str, required: set[str]):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = {name.strip().lower() for name in (reader.fieldnames or []) if name}
    missing = required - header
    if missing:
        raise ImportFileError(
            f"Spalten fehlen: {', '.join(sorted(missing))} (gefunden: {', '.join(sorted(header)) or 'keine'})"
        )
    for row in reader:
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if None in row:
            clean["__extra__"] = "x"
        yield reader.line_num, clean


def _positive_decimal(text: str, label: str, *, allow_zero: bool = False) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"{label} „{text[:30]}“ ist keine Zahl") from exc
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{label} „{text[:30]}“ ist nicht positiv")
    if value > MAX_PRICE * 1000:
        raise ValueError(f"{label} „{text[:30]}“ ist unplausibel groß")
    return value


def _parse_date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"Datum „{text[:30]}“ ist nicht im Format JJJJ-MM-TT") from exc


def coin_get_or_create(*, coin_id: str, name: str = "", symbol: str = "") -> Coin:
    if not COIN_ID_RE.match(coin_id):
        raise ImportFileError(f"„{coin_id}“ ist keine gültige CoinGecko-ID (z. B. bitcoin).")
    coin = Coin.objects.filter(coingecko_id=coin_id).first()
    if coin is None:
        known_name, known_symbol = KNOWN_COINS.get(coin_id, ("", ""))
        coin = Coin.objects.create(
            coingecko_id=coin_id,
            name=name or known_name or coin_id.replace("-", " ").title(),
            symbol=(symbol or known_symbol).lower(),
        )
        coin_logo_draw(coin=coin)
        mention_matcher_forget()
    return coin


def price_history_import(
    *, source, coin_id: str, currency: str, name: str = "", symbol: str = ""
) -> ImportReport:
    """Load daily closes from CSV (`date,open,high,low,close,volume`; only `date` and
    `close` are needed). Each close is stored at 00:00 UTC of its day. Bad rows are reported
    with their line number and skipped; good rows are imported in one transaction."""
    currency = currency.lower()
    if currency not in {"eur", "usd"}:
        raise ImportFileError("Währung muss eur oder usd sein.")
    text = _read_csv(source)
    report = ImportReport()
    points: list[tuple] = []
    seen: set[dt.date] = set()
    for line, row in _csv_rows(text, {"date", "close"}):
        try:
            if "__extra__" in row:
                raise ValueError("zu viele Spalten")
            day = _parse_date(row.get("date", ""))
            if day in seen:
                raise ValueError(f"Datum {day.isoformat()} kommt doppelt vor")
            if day > timezone.now().date():
                raise ValueError(f"Datum {day.isoformat()} liegt in der Zukunft")
            close = _positive_decimal(row.get("close", ""), "Schlusskurs")
            prices = {
                key: _positive_decimal(row[key], key)
                for key in ("open", "high", "low")
                if row.get(key)
            }
            if "high" in prices and "low" in prices and prices["high"] < prices["low"]:
                raise ValueError("Hoch liegt unter Tief")
            if row.get("volume"):
                _positive_decimal(row["volume"], "Volumen", allow_zero=True)
        except ValueError as exc:
            report.errors.append(f"Zeile {line}: {exc}")
            continue
        seen.add(day)
        stamp = dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
        # CSV volume is counted in coins, not money, so it is not stored as volume.
        points.append((stamp, close, None, None))
    with transaction.atomic():
        coin = coin_get_or_create(coin_id=coin_id, name=name, symbol=symbol)
        report.added = price_points_append(
            coin=coin, currency=currency, points=points, source=PricePoint.SOURCE_IMPORT
        )
    report.existing = len(points) - report.added
    if report.added:
        markets_generation_bump()
    return report


def fx_rates_import(*, source) -> ImportReport:
    """Load ECB reference rates (`date,usd_per_eur`); new dates are added, known ones kept."""
    text = _read_csv(source)
    report = ImportReport()
    rates: dict[dt.date, Decimal] = {}
    for line, row in _csv_rows(text, {"date", "usd_per_eur"}):
        try:
            day = _parse_date(row.get("date", ""))
            if day in rates:
                raise ValueError(f"Datum {day.isoformat()} kommt doppelt vor")
            rate = _positive_decimal(row.get("usd_per_eur", ""), "Kurs")
            if not Decimal("0.1") <= rate <= Decimal(10):
                raise ValueError(f"Kurs {rate} ist unplausibel")
        except ValueError as exc:
            report.errors.append(f"Zeile {line}: {exc}")
            continue
        rates[day] = rate.quantize(Decimal("0.00000001"))
    with transaction.atomic():
        existing = set(FxRate.objects.filter(date__in=rates).values_list("date", flat=True))
        FxRate.objects.bulk_create(
            [FxRate(date=d, usd_per_eur=r) for d, r in rates.items() if d not in existing],
            batch_size=1000,
            ignore_conflicts=True,
        )
    report.added = len(rates) - len(existing)
    report.existing = len(existing)
    if report.added:
        markets_generation_bump()
    return report
