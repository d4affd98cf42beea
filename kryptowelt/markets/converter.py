"""Amounts typed by readers, the German way ("1.234,56", "0,5", "2"), without Django."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal("1e15")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


class AmountError(ValueError):
    pass


def parse_amount(text: str) -> Decimal:
    """A non-negative amount; "1.000" is a thousand, "1,5" one and a half."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
    if not cleaned:
        raise AmountError("Bitte eine Menge eingeben.")
    if len(cleaned) > 32:
        raise AmountError("Die Zahl ist zu lang.")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _GROUPED.match(cleaned):
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", cleaned):
        raise AmountError("Bitte eine Zahl eingeben, z. B. 0,5 oder 1.000.")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above prevents it
        raise AmountError("Bitte eine Zahl eingeben.") from exc
    if value > MAX_AMOUNT:
        raise AmountError("Die Zahl ist zu groß.")
    return value
