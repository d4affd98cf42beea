"""Checking and normalising the address a reader types (no Django models here)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from kryptowelt.newsletter.models import ADDRESS_MAX_LENGTH

_validator = EmailValidator()


class AddressInvalid(ValueError):
    """The German message says what is wrong."""


def address_normalise(raw: str) -> str:
    """The address as stored: trimmed, lower case. Raises AddressInvalid with a German
    message for anything a mail server must not see (line breaks: header injection)."""
    if not isinstance(raw, str) or not raw.strip():
        raise AddressInvalid("Bitte geben Sie Ihre E-Mail-Adresse ein.")
    if any(ch in raw for ch in "\r\n\x00") or any(ord(ch) < 32 for ch in raw.strip()):
        raise AddressInvalid(
            "Die E-Mail-Adresse darf keine Zeilenumbrüche oder Steuerzeichen enthalten."
        )
    address = raw.strip().lower()
    if len(address) > ADDRESS_MAX_LENGTH:
        raise AddressInvalid(
            f"Die E-Mail-Adresse ist zu lang (höchstens {ADDRESS_MAX_LENGTH} Zeichen)."
        )
    try:
        _validator(address)
    except ValidationError as error:
        raise AddressInvalid(
            "Das ist keine gültige E-Mail-Adresse. Bitte prüfen Sie die Schreibweise."
        ) from error
    return address
