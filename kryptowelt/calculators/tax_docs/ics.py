"""The "Steuerfrei ab" calendar: for every coin and day on which remaining lots become
tax-free to sell, one all-day event (iCalendar, RFC 5545). Written in memory for the reader's
download; nothing is stored, so event ids are derived from the event's own content.

Days that are not after `today` are left out (those lots are tax-free already; the table on
the page lists them); at most `MAX_EVENTS` events, the earliest first."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from kryptowelt.calculators.tax.records import OpenLot
from kryptowelt.calculators.tax.rules import ZERO
from kryptowelt.calculators.tax.text import german_amount, short_date

MAX_EVENTS = 500
PRODID = "-//Kryptowelt//Krypto-Steuerrechner//DE"


def _escape(value: str) -> str:
    """TEXT values (RFC 5545, 3.3.11): backslash, semicolon, comma and line breaks escaped;
    other control characters dropped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return "".join(ch for ch in value if ch >= " " or ch == "\t")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545, 3.1), never inside a character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += ch
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def tax_free_calendar(lots: list[OpenLot], *, today: dt.date, now: dt.datetime) -> str:
    """The calendar as text (CRLF line ends). `now` is UTC, for DTSTAMP."""
    grouped: dict[tuple[dt.date, str], list[OpenLot]] = {}
    for lot in lots:
        if lot.tax_free_from > today:
            grouped.setdefault((lot.tax_free_from, lot.coin), []).append(lot)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Steuerfrei ab (Kryptowelt)",
    ]
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for (day, coin), group in sorted(grouped.items())[:MAX_EVENTS]:
        total = sum((lot.amount for lot in group), ZERO)
        cost = sum((lot.cost for lot in group), ZERO)
        summary = f"{german_amount(total)} {coin} steuerfrei verkaufbar"
        details = [
            f"Ab heute ist der Verkauf von {german_amount(total)} {coin} nach § 23 EStG "
            "steuerfrei: mehr als ein Jahr seit der Anschaffung (§§ 187, 188 BGB).",
            f"Anschaffungskosten zusammen: {_euro(cost)}.",
            "Angeschafft:",
        ]
        details += [
            f"- {german_amount(lot.amount)} {coin} am {short_date(lot.acquired)} "
            f"({lot.kind_label}{', ' + lot.file if lot.file else ''}, Zeile {lot.row})"
            for lot in group[:20]
        ]
        if len(group) > 20:
            details.append(f"- und {len(group) - 20} weitere Anschaffungen")
        details.append(
            "Gilt nur, wenn Sie diese Coins bis dahin nicht verkaufen oder tauschen. "
            "Keine Steuerberatung."
        )
        uid = hashlib.sha256(f"{day}|{coin}|{total}|{cost}".encode()).hexdigest()[:32]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@steuerfrei.kryptowelt",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(chr(10).join(details))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _euro(value: Decimal) -> str:
    integer, _, cents = format(value.quantize(Decimal("0.01")), "f").partition(".")
    return f"{german_amount(Decimal(integer))},{cents} €"
