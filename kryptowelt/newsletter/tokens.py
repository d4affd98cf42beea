"""Signed links in newsletter mails (django.core.signing, one salt per purpose).

A token carries the normalised address; the signature proves we made it. Confirmation
links expire (KRYPTOWELT_NEWSLETTER_CONFIRM_HOURS); unsubscribe and "Meine Daten" links
do not: they sit in every mail a reader may still have years later."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings
from django.core import signing

CONFIRM = "kryptowelt.newsletter.confirm"
UNSUBSCRIBE = "kryptowelt.newsletter.unsubscribe"
DATA = "kryptowelt.newsletter.data"
MAX_TOKEN_LENGTH = 600


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def token_make(*, address: str, purpose: str) -> str:
    # Wagtail routes only path segments of letters, digits, "_" and "-": the signed value
    # (with its ":" separators) travels base64url-encoded.
    signed = signing.dumps(address, salt=purpose, compress=False)
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def token_read(*, token: str, purpose: str) -> str:
    """The address in `token`, or TokenExpired / TokenInvalid."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise TokenInvalid
    max_age = settings.KRYPTOWELT_NEWSLETTER_CONFIRM_HOURS * 3600 if purpose == CONFIRM else None
    try:
        signed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise TokenInvalid from error
    try:
        address = signing.loads(signed, salt=purpose, max_age=max_age)
    except signing.SignatureExpired as error:
        raise TokenExpired from error
    except signing.BadSignature as error:
        raise TokenInvalid from error
    if not isinstance(address, str):
        raise TokenInvalid
    return address


def address_key(address: str) -> str:
    """A keyed fingerprint of an address for the delivery log (not the address itself)."""
    key = hashlib.sha256(f"kryptowelt.newsletter.delivery:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()
