"""Reading the operations settings (mail, admins, metrics addresses, log format, Sentry) from the environment, with German messages
for anything malformed. Used by settings/operations.py; no Django app is imported here.

EMAIL_URL schemes (django-environ's parser, checked more strictly here):

- ``smtp://user:pass@host:25`` – plain SMTP (a relay on the same machine or network)
- ``smtp+tls://user:pass@host:587`` – SMTP with STARTTLS (the usual submission port)
- ``smtp+ssl://user:pass@host:465`` – SMTP over TLS from the first byte
- ``consolemail://`` – mails printed on stdout (development)
- ``filemail:///absolute/folder`` – one file per mail in that folder
- ``memorymail://`` – kept in memory (tests)
- ``dummymail://`` – thrown away

User name and password are URL-encoded (``@`` → ``%40``, ``:`` → ``%3A``). django-environ
also reads ``smtps://`` – as STARTTLS, not as TLS on port 465 – so it is refused here as
ambiguous.
"""

from __future__ import annotations

import email.utils
import ipaddress
import re
from urllib.parse import urlsplit

import environ
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured
from sentry_sdk.integrations.django import DjangoIntegration

SMTP_SCHEMES = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}
OTHER_SCHEMES = {"consolemail", "filemail", "memorymail", "dummymail"}
ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def email_settings(url: str) -> dict:
    """Django's EMAIL_* settings for an EMAIL_URL; ImproperlyConfigured (German) if malformed."""
    hint = "siehe .env.example, Abschnitt E-Mail"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"EMAIL_URL ist keine gültige Adresse ({hint}).") from None
    scheme = parts.scheme.lower()
    if scheme == "smtps":
        raise ImproperlyConfigured(
            "EMAIL_URL: „smtps://“ ist mehrdeutig – bitte „smtp+ssl://“ (TLS ab dem ersten "
            f"Byte, meist Port 465) oder „smtp+tls://“ (STARTTLS, meist Port 587) ({hint})."
        )
    if scheme not in SMTP_SCHEMES and scheme not in OTHER_SCHEMES:
        known = ", ".join(f"{name}://" for name in [*SMTP_SCHEMES, *sorted(OTHER_SCHEMES)])
        raise ImproperlyConfigured(
            f"EMAIL_URL: unbekanntes Schema „{scheme or '(keins)'}“ – möglich sind {known} ({hint})."
        )
    if scheme in SMTP_SCHEMES and not parts.hostname:
        raise ImproperlyConfigured(
            f"EMAIL_URL: der Mailserver fehlt, z. B. {scheme}://benutzer:passwort@mail.example.de"
            f":{SMTP_SCHEMES[scheme]} ({hint})."
        )
    if scheme == "filemail" and len(parts.path) <= 1:
        raise ImproperlyConfigured(
            f"EMAIL_URL: filemail:// braucht einen Ordner, z. B. filemail:///var/mail/kryptowelt ({hint})."
        )
    config = environ.Env.email_url_config(url)
    config.pop("OPTIONS", None)
    if scheme in SMTP_SCHEMES:
        config["EMAIL_PORT"] = port or SMTP_SCHEMES[scheme]
        config["EMAIL_USE_TLS"] = scheme == "smtp+tls"
        config["EMAIL_USE_SSL"] = scheme == "smtp+ssl"
        config["EMAIL_HOST_USER"] = config.get("EMAIL_HOST_USER") or ""
        config["EMAIL_HOST_PASSWORD"] = config.get("EMAIL_HOST_PASSWORD") or ""
    if scheme == "filemail":
        config["EMAIL_FILE_PATH"] = parts.path
    else:
        config.pop("EMAIL_FILE_PATH", None)
    return {key: value for key, value in config.items() if value is not None}


def mail_address(name: str, value: str) -> str:
    """One address, plain or "Name <addr>"; ImproperlyConfigured (German) if it is none."""
    addresses = email.utils.getaddresses([value])
    if len(addresses) != 1 or not ADDRESS.match(addresses[0][1]):
        raise ImproperlyConfigured(
            f"{name}: „{value}“ ist keine E-Mail-Adresse (erwartet: name@example.de oder "
            "„Name <name@example.de>“)."
        )
    return value.strip()


def admin_addresses(value: str) -> list[tuple[str, str]]:
    """ADMINS as Django wants it, from "a@x.de, Name <b@x.de>" (commas in quoted names work)."""
    if not value.strip():
        return []
    pairs = email.utils.getaddresses([value])
    wrong = [address or "(leer)" for _, address in pairs if not ADDRESS.match(address)]
    if wrong:
        raise ImproperlyConfigured(
            f"ADMINS: keine E-Mail-Adresse: {', '.join(wrong)} (erwartet: durch Kommas getrennt, "
            "name@example.de oder „Name <name@example.de>“)."
        )
    return [(name, address) for name, address in pairs]


def allowed_networks(entries: list[str]) -> list[str]:
    """METRICS_ALLOWED_IPS: addresses or CIDR networks; ImproperlyConfigured if one is none."""
    for entry in entries:
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"METRICS_ALLOWED_IPS: „{entry}“ ist keine Adresse und kein Netz "
                "(z. B. 127.0.0.1/32, ::1, 10.0.0.0/8)."
            ) from None
    return [entry.strip() for entry in entries if entry.strip()]


def log_format(value: str) -> str:
    """LOG_FORMAT: the name of the formatter (settings.LOGGING) for the console."""
    if value not in ("plain", "json"):
        raise ImproperlyConfigured(f"LOG_FORMAT: „{value}“ – möglich sind plain und json.")
    return value


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    """Report unhandled errors to Sentry: Django's integration, never personal data (no user,
    no address, no cookies, no request bodies, no local variables), environment and release from the settings."""
    try:
        sentry_sdk.init(
            dsn=dsn,
            integrations=[DjangoIntegration()],
            send_default_pii=False,
            max_request_body_size="never",
            # Local variables of failing frames could hold readers' data (the tax
            # calculator's uploaded rows, which are never to be stored anywhere).
            include_local_variables=False,
            environment=environment,
            release=release or None,
            traces_sample_rate=traces_sample_rate,
        )
    except Exception as error:  # sentry_sdk raises BadDsn and others on a malformed DSN
        raise ImproperlyConfigured(f"SENTRY_DSN ist ungültig: {error}") from None
