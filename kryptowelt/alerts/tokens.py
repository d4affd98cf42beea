"""Signed links (django.core.signing, one salt per purpose): nothing about a link is stored.

- confirm: the alert's id and creation time; expires after KRYPTOWELT_ALERTS_CONFIRM_HOURS.
- manage / unsubscribe: the alert's id and creation time; valid as long as the alert exists
  (a deleted alert's link finds nothing, and a new alert never gets an old id's time).
- delete_all: the alert's id and creation time (its address's alerts are deleted);
  expires after a day (made when the manage page is shown).

No link carries the address: links end up in server logs.

Django's signed values contain ":", which page URLs do not allow (Wagtail serves paths of
word characters and hyphens), so each token is base64url-encoded once more."""

from __future__ import annotations

import base64
import binascii

from django.core import signing

CONFIRM = "kryptowelt.alerts.confirm"
MANAGE = "kryptowelt.alerts.manage"
UNSUBSCRIBE = "kryptowelt.alerts.unsubscribe"
DELETE_ALL = "kryptowelt.alerts.delete-all"
DELETE_ALL_SECONDS = 24 * 3600
MAX_TOKEN_LENGTH = 800


def _wrap(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def _unwrap(token: str) -> str:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise BadToken()
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, ValueError) as exc:
        raise BadToken() from exc


class BadToken(Exception):
    """The link is unknown, changed or expired; `expired` says which."""

    def __init__(self, *, expired: bool = False):
        super().__init__("expired" if expired else "bad")
        self.expired = expired


def alert_token(alert, *, purpose: str) -> str:
    return _wrap(signing.dumps([alert.pk, int(alert.created_at.timestamp())], salt=purpose))


def alert_token_read(token: str, *, purpose: str, max_age: float | None = None) -> tuple[int, int]:
    """(alert id, creation timestamp) from a link, or BadToken."""
    try:
        value = signing.loads(_unwrap(token), salt=purpose, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise BadToken(expired=True) from exc
    except signing.BadSignature as exc:
        raise BadToken() from exc
    if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)):
        raise BadToken()
    return value[0], value[1]
