"""Signed links of the alerts (core/optin.py, one salt per purpose): nothing about a link is
stored.

- confirm: the alert's id and creation time; expires after KRYPTOWELT_ALERTS_CONFIRM_HOURS.
- manage / unsubscribe: the alert's id and creation time; valid as long as the alert exists
  (a deleted alert's link finds nothing, and a new alert never gets an old id's time).
- delete_all: the alert's id and creation time (its address's alerts are deleted);
  expires after a day (made when the manage page is shown).

No link carries the address: links end up in server logs. POSTs to the links that delete
(unsubscribe, manage's delete button, delete_all) are counted per link, not per address
(core/security.py): mail programs and shared mail gateways send many from one address."""

from __future__ import annotations

from kryptowelt.core.optin import BadToken, leave_purpose_register, token_make, token_read

CONFIRM = "kryptowelt.alerts.confirm"
MANAGE = leave_purpose_register("kryptowelt.alerts.manage")
UNSUBSCRIBE = leave_purpose_register("kryptowelt.alerts.unsubscribe")
DELETE_ALL = leave_purpose_register("kryptowelt.alerts.delete-all")
DELETE_ALL_SECONDS = 24 * 3600

__all__ = ["CONFIRM", "DELETE_ALL", "MANAGE", "UNSUBSCRIBE", "BadToken"]


def alert_token(alert, *, purpose: str) -> str:
    return token_make([alert.pk, int(alert.created_at.timestamp())], purpose=purpose)


def alert_token_read(token: str, *, purpose: str, max_age: float | None = None) -> tuple[int, int]:
    """(alert id, creation timestamp) from a link, or BadToken."""
    value = token_read(token, purpose=purpose, max_age=max_age)
    if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)):
        raise BadToken()
    return value[0], value[1]
