"""Reading providers.toml (format at the top of that file): every provider and figure is
validated with the same rules as the admin before anything is written, and an error names
the line of the file, the provider and the field in German.

Reads only; `services.py` writes what this returns."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

from kryptowelt.comparisons import figures
from kryptowelt.comparisons.fees import BROKER, NO_TRADING, ORDERBOOK
from kryptowelt.comparisons.models import KIND_FIELDS, http_url, validate_leis

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "providers.toml"
KIND_BY_SLUG = {slug: field_name for field_name, slug, _label in KIND_FIELDS}
PRICING = {ORDERBOOK, BROKER, NO_TRADING}

# (sub-table, key in the file) -> figure key
TABLE_KEYS = {
    ("regulation", "bafin"): "bafin",
    ("regulation", "mica"): "mica",
    ("fees", "maker_pct"): "maker_pct",
    ("fees", "taker_pct"): "taker_pct",
    ("fees", "commission_pct"): "commission_pct",
    ("fees", "commission_min_eur"): "commission_min_eur",
    ("fees", "spread_pct"): "spread_pct",
    ("fees", "fixed_eur"): "fixed_eur",
    ("sparplan", "available"): "sparplan",
    ("sparplan", "min_eur"): "sparplan_min_eur",
    ("sparplan", "fee"): "sparplan_fee",
    ("sparplan", "intervals"): "sparplan_intervals",
    ("staking", "available"): "staking",
    ("staking", "coins"): "staking_coins",
    ("staking", "provider_cut_pct"): "staking_cut_pct",
    ("staking", "lockup"): "staking_lockup",
    ("security", "twofa"): "twofa",
    ("security", "cold_storage_pct"): "cold_storage_pct",
    ("security", "proof_of_reserves"): "proof_of_reserves",
    ("security", "insurance"): "insurance",
    ("wallet", "price_eur"): "device_price_eur",
    ("wallet", "open_source"): "open_source",
    ("wallet", "secure_element"): "secure_element",
}
TOP_LEVEL_FIGURES = {
    "german_support": "german_support",
    "coins": "coins",
    "founded": "founded",
    "available_de": "available_de",
}
PLAIN_KEYS = {
    "slug",
    "name",
    "kinds",
    "pricing",
    "company",
    "country",
    "website",
    "affiliate_url",
    "summary",
    "pros",
    "cons",
    "apps",
    "mica_lei",
}
TABLES = {table for table, _name in TABLE_KEYS} | {"deposit", "withdrawal"}
FIGURE_TABLE_KEYS = {
    "value",
    "pct",
    "eur",
    "source",
    "checked",
    "note",
    "basis",
    "recheck",
    "coin",
    "authority",
    "text",
    "effective",
    "unpublished",
}
BY_COIN = "by_coin"


class ProviderImportError(ValueError):
    """Bad content in providers.toml; the message names line, provider and field, in German."""


@dataclass
class ProviderSpec:
    fields: dict
    figures: list[dict] = field(default_factory=list)
    line: int = 0


@dataclass(frozen=True)
class Where:
    """A place in the file, for error messages."""

    file: str
    lines: dict
    index: int
    slug: str
    table: str = ""
    key: str = ""

    def at(self, table: str = "", key: str = "") -> Where:
        return Where(self.file, self.lines, self.index, self.slug, table, key)

    def error(self, message: str) -> ProviderImportError:
        line = self.lines.get((self.index, self.table, self.key)) or self.lines.get(
            (self.index, self.table, "")
        )
        line = line or self.lines.get((self.index, "", ""), 0)
        name = ".".join(part for part in (self.table, self.key) if part)
        provider = f"Anbieter {self.index} ({self.slug or 'ohne slug'})"
        place = f"{provider}, {name}" if name else provider
        return ProviderImportError(f"{self.file}, Zeile {line}, {place}: {message}")


def _key_lines(text: str) -> dict[tuple[int, str, str], int]:
    """(provider number, table path, key) -> line number, for messages that name the line."""
    lines: dict[tuple[int, str, str], int] = {}
    index, table = 0, ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[[provider]]"):
            index, table = index + 1, ""
            lines[(index, "", "")] = number
        elif stripped.startswith("[provider."):
            table = stripped[len("[provider.") :].split("]")[0].strip()
            lines.setdefault((index, table, ""), number)
        elif match := re.match(r"([A-Za-z0-9_]+)\s*=", stripped):
            lines.setdefault((index, table, match.group(1)), number)
    return lines


def _decimal(value, where: Where, part: str = "") -> Decimal:
    label = f"{part}: " if part else ""
    if isinstance(value, bool) or value is None:
        raise where.error(f"{label}Zahl erwartet, nicht {value!r}")
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise where.error(f"{label}Zahl erwartet, nicht {value!r}") from exc


def _date(value, where: Where, part: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise where.error(f"{part}: Datum im Format JJJJ-MM-TT erwartet") from exc


def _figure(key: str, raw, where: Where, coin: str = "") -> dict:
    """One figure from a TOML value (plain value or figure table) to ProviderFigure fields."""
    spec = figures.SPECS[key]
    table = raw if isinstance(raw, dict) else {"value": raw}
    unknown = sorted(set(table) - FIGURE_TABLE_KEYS)
    if unknown:
        raise where.error(f"unbekannte Schlüssel {', '.join(unknown)}")
    unpublished = bool(table.get("unpublished", False))
    data = {
        "key": key,
        "coin": coin or str(table.get("coin", "")),
        "number": None,
        "number_eur": None,
        "flag": None,
        "text": "",
        "source": str(table.get("source", "")),
        "checked": _date(table.get("checked"), where, "checked"),
        "effective": _date(table.get("effective"), where, "effective"),
        "note": str(table.get("note", "")),
        "basis": str(table.get("basis", "")),
        "recheck": bool(table.get("recheck", False)),
        "unpublished": unpublished,
    }
    value = table.get("value")
    if unpublished:
        if any(name in table for name in ("value", "pct", "eur")):
            raise where.error("eine nicht veröffentlichte Angabe hat keinen Wert")
    elif spec.unit == figures.FEE:
        data["number"] = _decimal(table.get("pct"), where, "pct")
        data["number_eur"] = _decimal(table.get("eur"), where, "eur")
    elif spec.unit == figures.BOOL:
        if not isinstance(value, bool):
            raise where.error("true oder false erwartet")
        data["flag"] = value
        data["text"] = str(table.get("authority", "") or table.get("text", ""))
    elif spec.unit == figures.LIST:
        items = value if isinstance(value, list) else str(value or "").split(",")
        data["text"] = ", ".join(str(item).strip() for item in items if str(item).strip())
    elif spec.unit == figures.TEXT:
        data["text"] = str(value or "")
    else:
        data["number"] = _decimal(value, where)
    if data["source"]:
        try:
            http_url(data["source"])
        except ValidationError as exc:
            raise where.error("source: keine gültige Adresse") from exc
    errors = figures.figure_errors(
        key=key,
        number=data["number"],
        number_eur=data["number_eur"],
        flag=data["flag"],
        text=data["text"],
        coin=data["coin"],
        source=data["source"],
        checked=data["checked"],
        today=timezone.localdate(),
        unpublished=unpublished,
        effective=data["effective"],
    )
    if errors:
        raise where.error(" ".join(errors.values()))
    return data


def _provider_fields(raw: dict, where: Where) -> dict:
    slug = where.slug
    kinds = raw.get("kinds") or []
    unknown = [kind for kind in kinds if kind not in KIND_BY_SLUG]
    if not kinds or unknown:
        raise where.at(key="kinds").error(f"unbekannte oder fehlende Arten {unknown}")
    pricing = raw.get("pricing", BROKER)
    if pricing not in PRICING:
        raise where.at(key="pricing").error(f"unbekanntes Preismodell {pricing!r}")
    leis = raw.get("mica_lei", [])
    fields = {
        "slug": slug,
        "name": str(raw.get("name") or slug),
        "pricing": pricing,
        "company": str(raw.get("company", "")),
        "country": str(raw.get("country", "")),
        "website": str(raw.get("website", "")),
        "affiliate_url": str(raw.get("affiliate_url", "")),
        "summary": str(raw.get("summary", "")),
        "pros": "\n".join(raw.get("pros", [])),
        "cons": "\n".join(raw.get("cons", [])),
        "apps": ", ".join(raw.get("apps", [])),
        "fee_note": str((raw.get("fees") or {}).get("note", "")),
        "mica_lei": ", ".join(leis) if isinstance(leis, list) else str(leis),
    }
    try:
        validate_leis(fields["mica_lei"])
    except ValidationError as exc:
        raise where.at(key="mica_lei").error(" ".join(exc.messages)) from exc
    for kind_field in KIND_BY_SLUG.values():
        fields[kind_field] = False
    for kind in kinds:
        fields[KIND_BY_SLUG[kind]] = True
    for url_field in ("website", "affiliate_url"):
        if fields[url_field]:
            try:
                http_url(fields[url_field])
            except ValidationError as exc:
                raise where.at(key=url_field).error(f"{url_field} ist keine Adresse") from exc
    return fields


def _provider_figures(raw: dict, where: Where) -> list[dict]:
    result = []
    for name, key in TOP_LEVEL_FIGURES.items():
        if name in raw:
            result.append(_figure(key, raw[name], where.at(key=name)))
    for (table, name), key in TABLE_KEYS.items():
        section = raw.get(table) or {}
        if name in section:
            result.append(_figure(key, section[name], where.at(table, name)))
    for table in TABLES:
        section = raw.get(table) or {}
        if table == "deposit":
            allowed = {method for method, _label in figures.DEPOSIT_METHODS}
        elif table == "withdrawal":
            allowed = set(section)  # keys are coin symbols, checked as figures
        else:
            allowed = {name for (t, name) in TABLE_KEYS if t == table}
            if table == "fees":
                allowed |= {"note", BY_COIN}
        unknown = sorted(set(section) - allowed)
        if unknown:
            raise where.at(table).error(f"unbekannte Schlüssel {', '.join(unknown)}")
    for coin, section in ((raw.get("fees") or {}).get(BY_COIN) or {}).items():
        table = f"fees.{BY_COIN}.{coin}"
        for name, value in section.items():
            key = TABLE_KEYS.get(("fees", name))
            if key not in figures.PER_COIN_KEYS:
                raise where.at(table, name).error("gilt nicht je Kryptowert")
            result.append(_figure(key, value, where.at(table, name), coin=coin))
    for method, _label in figures.DEPOSIT_METHODS:
        section = raw.get("deposit") or {}
        if method in section:
            result.append(
                _figure(f"deposit_{method}", section[method], where.at("deposit", method))
            )
    for coin, value in (raw.get("withdrawal") or {}).items():
        result.append(_figure("withdrawal_fee", value, where.at("withdrawal", coin), coin=coin))
    order = {key: position for position, key in enumerate(figures.SPECS)}
    result.sort(key=lambda item: (order[item["key"]], item["coin"]))
    seen = set()
    for item in result:
        if (item["key"], item["coin"]) in seen:
            raise where.error(f"{item['key']} {item['coin']} ist doppelt angegeben")
        seen.add((item["key"], item["coin"]))
    return result


def provider_specs_read(*, path: Path = CONTENT_FILE) -> list[ProviderSpec]:
    """Reads and validates the whole file; raises ProviderImportError on the first problem."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProviderImportError(f"{path.name}: nicht lesbar ({exc})") from exc
    lines = _key_lines(text)
    specs, slugs = [], set()
    for index, raw in enumerate(data.get("provider", []), start=1):
        slug = str(raw.get("slug", ""))
        where = Where(path.name, lines, index, slug)
        if not slug or slug in slugs:
            raise where.error("slug fehlt oder ist doppelt")
        slugs.add(slug)
        unknown = sorted(set(raw) - PLAIN_KEYS - set(TOP_LEVEL_FIGURES) - TABLES)
        if unknown:
            raise where.error(f"unbekannte Schlüssel {', '.join(unknown)}")
        spec = ProviderSpec(
            fields=_provider_fields(raw, where),
            figures=_provider_figures(raw, where),
            line=lines.get((index, "", ""), 0),
        )
        specs.append(spec)
    return specs
