"""Signed links in newsletter mails (core/optin.py, one salt per purpose).

A token carries the normalised address; the signature proves we made it. Confirmation
links expire (KRYPTOWELT_NEWSLETTER_CONFIRM_HOURS); unsubscribe and "Meine Daten" links
do not: they sit in every mail a reader may still have years later. A POST to an
unsubscribe link is counted per link, not per address (core/security.py)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from kryptowelt.core.optin import BadToken, leave_purpose_register, token_make, token_read

CONFIRM = "kryptowelt.newsletter.confirm"
UNSUBSCRIBE = leave_purpose_register("kryptowelt.newsletter.unsubscribe")
DATA = "kryptowelt.newsletter.data"

__all__ = [
    "CONFIRM",
    "DATA",
    "UNSUBSCRIBE",
    "BadToken",
    "address_from_token",
    "address_key",
    "address_token",
]


def address_token(*, address: str, purpose: str) -> str:
    return token_make(address, purpose=purpose)


def address_from_token(*, token: str, purpose: str) -> str:
    """The address in `token`, or BadToken (`expired` for an old confirmation link)."""
    max_age = settings.KRYPTOWELT_NEWSLETTER_CONFIRM_HOURS * 3600 if purpose == CONFIRM else None
    address = token_read(token, purpose=purpose, max_age=max_age)
    if not isinstance(address, str):
        raise BadToken()
    return address


def address_key(address: str) -> str:
    """A keyed fingerprint of an address for the delivery log (not the address itself)."""
    key = hashlib.sha256(f"kryptowelt.newsletter.delivery:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()
