"""Writes: importing providers from providers.toml (see the format at the top of that file)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from kryptowelt.comparisons import figures
from kryptowelt.comparisons.fees import BROKER, NO_TRADING, ORDERBOOK
from kryptowelt.comparisons.models import KIND_FIELDS, Provider, ProviderFigure, http_url

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
    ("fees", "spread_pct"): "spread_pct",
    ("fees", "fixed_eur"): "fixed_eur",
    ("sparplan", "available"): "sparplan",
    ("sparplan", "min_eur"): "sparplan_min_eur",
    ("sparplan", "fee"): "sparplan_fee",
    ("sparplan", "intervals"): "sparplan_intervals",
    ("staking", "available"): "staking",
    ("staking", "coins"): "staking_coins",
    ("staking", "provider_cut_pct"): "staking_cut_pct",
    ("security", "twofa"): "twofa",
    ("security", "cold_storage_pct"): "cold_storage_pct",
    ("security", "proof_of_reserves"): "proof_of_reserves",
    ("security", "insurance"): "insurance",
    ("wallet", "price_eur"): "device_price_eur",
    ("wallet", "open_source"): "open_source",
    ("wallet", "secure_element"): "secure_element",
}
TOP_LEVEL_FIGURES = {"german_support": "german_support", "coins": "coins", "founded": "founded"}


class ProviderImportError(ValueError):
    """Bad content in providers.toml; the message names provider and field, in German."""


@dataclass
class ProviderSpec:
    fields: dict
    figures: list[dict] = field(default_factory=list)


def _decimal(value, where: str) -> Decimal:
    if isinstance(value, bool):
        raise ProviderImportError(f"{where}: Zahl erwartet, nicht {value!r}")
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ProviderImportError(f"{where}: Zahl erwartet, nicht {value!r}") from exc


def _date(value, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ProviderImportError(f"{where}: Datum im Format JJJJ-MM-TT erwartet") from exc


def _figure(key: str, raw, where: str, coin: str = "") -> dict:
    """One figure from a TOML value (plain value or figure table) to ProviderFigure fields."""
    spec = figures.SPECS[key]
    table = raw if isinstance(raw, dict) else {"value": raw}
    data = {
        "key": key,
        "coin": coin or table.get("coin", ""),
        "number": None,
        "number_eur": None,
        "flag": None,
        "text": "",
        "source": str(table.get("source", "")),
        "checked": _date(table.get("checked"), f"{where}.checked"),
        "note": str(table.get("note", "")),
        "basis": str(table.get("basis", "")),
        "recheck": bool(table.get("recheck", False)),
    }
    value = table.get("value")
    if spec.unit == figures.FEE:
        data["number"] = _decimal(table.get("pct"), f"{where}.pct")
        data["number_eur"] = _decimal(table.get("eur"), f"{where}.eur")
    elif spec.unit == figures.BOOL:
        if not isinstance(value, bool):
            raise ProviderImportError(f"{where}: true oder false erwartet")
        data["flag"] = value
        data["text"] = str(table.get("authority", "") or table.get("text", ""))
        if table.get("date"):
            date = _date(table["date"], f"{where}.date")
            prefix = f"Zugelassen am {date:%d.%m.%Y}"
            data["note"] = f"{prefix}. {data['note']}".strip() if data["note"] else f"{prefix}."
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
        except Exception as exc:
            raise ProviderImportError(f"{where}.source: keine gültige Adresse") from exc
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
    )
    if errors:
        raise ProviderImportError(f"{where}: " + " ".join(errors.values()))
    return data


def provider_specs_read(*, path: Path = CONTENT_FILE) -> list[ProviderSpec]:
    """Reads and validates the whole file; raises ProviderImportError on the first problem."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProviderImportError(f"{path.name}: nicht lesbar ({exc})") from exc
    specs, slugs = [], set()
    for index, raw in enumerate(data.get("provider", []), start=1):
        slug = str(raw.get("slug", ""))
        where = f"{path.name}, Anbieter {index} ({slug or 'ohne slug'})"
        if not slug or slug in slugs:
            raise ProviderImportError(f"{where}: slug fehlt oder ist doppelt")
        slugs.add(slug)
        kinds = raw.get("kinds") or []
        unknown = [kind for kind in kinds if kind not in KIND_BY_SLUG]
        if not kinds or unknown:
            raise ProviderImportError(f"{where}: unbekannte oder fehlende Arten {unknown}")
        pricing = raw.get("pricing", BROKER)
        if pricing not in PRICING:
            raise ProviderImportError(f"{where}: unbekanntes Preismodell {pricing!r}")
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
        }
        for kind in kinds:
            fields[KIND_BY_SLUG[kind]] = True
        for url_field in ("website", "affiliate_url"):
            if fields[url_field]:
                try:
                    http_url(fields[url_field])
                except Exception as exc:
                    raise ProviderImportError(f"{where}: {url_field} ist keine Adresse") from exc
        spec = ProviderSpec(fields=fields)
        for name, key in TOP_LEVEL_FIGURES.items():
            if name in raw:
                spec.figures.append(_figure(key, raw[name], f"{where}.{name}"))
        for (table, name), key in TABLE_KEYS.items():
            section = raw.get(table) or {}
            if name in section:
                spec.figures.append(_figure(key, section[name], f"{where}.{table}.{name}"))
        for method, _label in figures.DEPOSIT_METHODS:
            section = raw.get("deposit") or {}
            if method in section:
                spec.figures.append(
                    _figure(f"deposit_{method}", section[method], f"{where}.deposit.{method}")
                )
        for coin, value in (raw.get("withdrawal") or {}).items():
            spec.figures.append(
                _figure("withdrawal_fee", value, f"{where}.withdrawal.{coin}", coin=coin)
            )
        order = {key: position for position, key in enumerate(figures.SPECS)}
        spec.figures.sort(key=lambda item: (order[item["key"]], item["coin"]))
        specs.append(spec)
    return specs


def providers_import(*, path: Path = CONTENT_FILE) -> tuple[int, int]:
    """Creates the providers of the file that do not exist yet (by slug), published, with a
    first revision. Existing providers are left alone, so editors' changes survive.

    All or nothing: the file is validated completely before anything is written."""
    specs = provider_specs_read(path=path)
    existing = set(Provider.objects.values_list("slug", flat=True))
    created = 0
    with transaction.atomic():
        for spec in specs:
            if spec.fields["slug"] in existing:
                continue
            provider = Provider(**spec.fields)
            for position, data in enumerate(spec.figures):
                provider.figures.add(ProviderFigure(sort_order=position, **data))
            provider.full_clean()
            provider.save()
            provider.save_revision().publish()
            created += 1
    return created, len(specs) - created


EDITOR_PERMISSIONS = {
    "Editors": ["add_provider", "change_provider"],
    "Moderators": ["add_provider", "change_provider", "delete_provider", "publish_provider"],
}


def provider_permissions_grant() -> None:
    """Lets Wagtail's default editor groups work on providers (editors: drafts; moderators:
    publish). Idempotent; groups that do not exist are skipped."""
    for group_name, codenames in EDITOR_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        permissions = Permission.objects.filter(
            content_type__app_label="comparisons", codename__in=codenames
        )
        group.permissions.add(*permissions)
