"""Double opt-in, the one copy the newsletter and the price alerts share (no domain imports).

- **Signed links** (`token_make`, `token_read`): django.core.signing with one salt per
  purpose; the signed value travels base64url-encoded because Wagtail routes only path
  segments of word characters and hyphens (Django's value contains ":"). Nothing about a
  link is stored; a confirmation link expires (`max_age`), links to leave do not.
- **Addresses** (`address_normalise`): trimmed, lower case, at most 254 characters, valid
  for Django's validator; line breaks and control characters (header injection) are refused
  before anything else. German messages (`AddressInvalid`).
- **The same answer** for a new, a pending and an already confirmed address: the apps'
  views answer identically and hand the mail to the task queue (`tasks.py` of each app);
  what differs reaches only the mailbox's owner.
- **Per-address mail limits** (`address_mail_allowed`): at most N mails to one address in a
  window, so a form cannot flood someone's inbox; counted in the shared cache under a hash.
- **Cross-site POSTs** (`cross_site_post`): the forms are CSRF-exempt (readers get no
  cookie), so a browser's cross-site form post is refused by `Sec-Fetch-Site` and `Origin`.
- **Links to leave** (`leave_purpose_register`, `leave_link_key`): a one-click unsubscribe
  (RFC 8058) or a delete link is POSTed by mail programs and shared mail gateways, many from
  one address. `core.security` counts such a POST per link, not per address
  (docs/newsletter.md, "Abmelden").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from urllib.parse import urlsplit

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from kryptowelt.core.site_urls import site_root

ADDRESS_MAX_LENGTH = 254  # RFC 5321: the longest address a mail server must accept
MAX_TOKEN_LENGTH = 800

_validator = EmailValidator()


# --- signed links --------------------------------------------------------------------------


class BadToken(Exception):
    """The link is unknown, changed or expired; `expired` says which."""

    def __init__(self, *, expired: bool = False):
        super().__init__("expired" if expired else "bad")
        self.expired = expired


def token_make(value, *, purpose: str) -> str:
    signed = signing.dumps(value, salt=purpose, compress=False)
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def _unwrap(token: str) -> str:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise BadToken()
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, ValueError) as error:  # UnicodeDecodeError is a ValueError
        raise BadToken() from error


def token_read(token: str, *, purpose: str, max_age: float | None = None):
    """The value signed into `token` for `purpose`, or BadToken (expired after `max_age` s)."""
    try:
        return signing.loads(_unwrap(token), salt=purpose, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadToken(expired=True) from error
    except signing.BadSignature as error:
        raise BadToken() from error


# --- addresses -----------------------------------------------------------------------------


class AddressInvalid(ValueError):
    """The German message says what is wrong."""


def address_normalise(raw: str | None, *, max_length: int = ADDRESS_MAX_LENGTH) -> str:
    """The address as stored: trimmed, lower case. AddressInvalid (German) for anything a
    mail server must not see."""
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise AddressInvalid("Bitte geben Sie Ihre E-Mail-Adresse ein.")
    if any(ch in raw for ch in "\r\n\x00") or any(ord(ch) < 32 for ch in raw.strip()):
        raise AddressInvalid(
            "Die E-Mail-Adresse darf keine Zeilenumbrüche oder Steuerzeichen enthalten."
        )
    address = raw.strip().lower()
    if not address:
        raise AddressInvalid("Bitte geben Sie Ihre E-Mail-Adresse ein.")
    if len(address) > max_length:
        raise AddressInvalid(f"Die E-Mail-Adresse ist zu lang (höchstens {max_length} Zeichen).")
    try:
        _validator(address)
    except ValidationError as error:
        raise AddressInvalid(
            "Das ist keine gültige E-Mail-Adresse. Bitte prüfen Sie die Schreibweise "
            "(z. B. name@beispiel.de)."
        ) from error
    return address


def address_hash(address: str) -> str:
    """A short fingerprint for cache keys (the address itself is not stored there)."""
    return hashlib.sha256(address.encode()).hexdigest()[:32]


# --- per-address mail limits ---------------------------------------------------------------


def address_mail_allowed(*, scope: str, address: str, limit: int, window_seconds: int) -> bool:
    """Counts one mail to `address` in `scope`; False once more than `limit` were counted in
    the window. A shared cache that is away allows the mail (the POST rate limit still bounds
    how many a client can cause)."""
    key = f"kw:optin:{scope}:{address_hash(address)}"
    try:
        cache.add(key, 0, timeout=window_seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds)
            count = 1
    except Exception:  # noqa: BLE001 - the cache is away
        return True
    return count <= limit


# --- cross-site posts ----------------------------------------------------------------------


def cross_site_post(request) -> bool:
    """A browser's form post from another site: `Sec-Fetch-Site: cross-site`, or an Origin
    that is neither our site nor the host asked. Requests without these headers (mail
    programs, curl) are not browsers' cross-site posts."""
    if request.headers.get("Sec-Fetch-Site", "") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    allowed = {urlsplit(site_root()).netloc, request.get_host()}
    return urlsplit(origin).netloc not in allowed


# --- links to leave (unsubscribe, delete) --------------------------------------------------

_LEAVE_PURPOSES: set[str] = set()


def leave_purpose_register(purpose: str) -> str:
    """Declare that a POST to a link signed for `purpose` only removes what the link names
    (an unsubscribe, a deletion). Returns `purpose` (usable as a constant's value)."""
    _LEAVE_PURPOSES.add(purpose)
    return purpose


def leave_link_key(path: str) -> str | None:
    """For a path ending in a link signed for a registered leave purpose: a key for counting
    POSTs to that one link. None for every other path (its POSTs count per address)."""
    segments = [segment for segment in path.split("/") if segment]
    if not segments or not _LEAVE_PURPOSES:
        return None
    token = segments[-1]
    try:
        signed = _unwrap(token)
    except BadToken:
        return None
    for purpose in sorted(_LEAVE_PURPOSES):
        try:
            signing.loads(signed, salt=purpose)
        except signing.BadSignature:
            continue
        return hashlib.sha256(f"{purpose}:{token}".encode()).hexdigest()[:32]
    return None
