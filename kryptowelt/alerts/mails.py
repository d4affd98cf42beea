"""The mails of the alerts app, each German plain text plus HTML: the confirmation (double
opt-in), "you already have this alert", "limit reached", and the alert itself with
List-Unsubscribe + List-Unsubscribe-Post (RFC 8058) pointing at the one-click delete URL."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from kryptowelt.alerts import tokens
from kryptowelt.alerts.models import PriceAlert
from kryptowelt.alerts.selectors import Quote
from kryptowelt.core import formatting
from kryptowelt.core.models import pillar_reverse
from kryptowelt.core.site_urls import absolute_url

SOURCE = "CoinGecko"


def alert_label(alert: PriceAlert) -> str:
    """ "Bitcoin über 90.000,00 €", "Ethereum ± 5 % in 24 Stunden"."""
    name = alert.coin.name
    if alert.kind == PriceAlert.CHANGE_24H:
        return f"{name} ± {formatting.format_percent(alert.threshold.normalize(), _places(alert.threshold))} in 24 Stunden"
    word = "über" if alert.kind == PriceAlert.ABOVE else "unter"
    return f"{name} {word} {formatting.format_price(alert.threshold)}"


def _places(value) -> int:
    return max(0, min(4, -value.normalize().as_tuple().exponent))


def local_time(value: dt.datetime | None) -> str:
    """ "3. Dezember 2026, 19:05 Uhr" in the portal's time zone."""
    if value is None:
        return ""
    return formatting.format_datetime(timezone.localtime(value))


def alert_url(route: str, alert: PriceAlert, purpose: str) -> str:
    return absolute_url(
        pillar_reverse(f"alerts:{route}", token=tokens.alert_token(alert, purpose=purpose))
    )


def manage_url(alert: PriceAlert) -> str:
    return alert_url("manage", alert, tokens.MANAGE)


def unsubscribe_url(alert: PriceAlert) -> str:
    return alert_url("unsubscribe", alert, tokens.UNSUBSCRIBE)


def _message(*, to: str, subject: str, template: str, context: dict, headers=None):
    context = {**context, "site_url": absolute_url("/")}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"alerts/mail/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(
        render_to_string(f"alerts/mail/{template}.html", context), "text/html"
    )
    return message


def confirmation_mail(alert: PriceAlert) -> EmailMultiAlternatives:
    return _message(
        to=alert.address,
        subject=f"Bitte bestätigen: Kursalarm {alert_label(alert)}",
        template="confirm",
        context={
            "label": alert_label(alert),
            "confirm_url": alert_url("confirm", alert, tokens.CONFIRM),
            "hours": settings.KRYPTOWELT_ALERTS_CONFIRM_HOURS,
        },
    )


def existing_mail(alert: PriceAlert) -> EmailMultiAlternatives:
    return _message(
        to=alert.address,
        subject=f"Ihr Kursalarm {alert_label(alert)} besteht bereits",
        template="existing",
        context={"label": alert_label(alert), "manage_url": manage_url(alert)},
    )


def limit_mail(*, address: str, newest: PriceAlert) -> EmailMultiAlternatives:
    return _message(
        to=address,
        subject="Kursalarm nicht angelegt: Höchstzahl erreicht",
        template="limit",
        context={"limit": settings.KRYPTOWELT_ALERTS_PER_ADDRESS, "manage_url": manage_url(newest)},
    )


def fired_mail(alert: PriceAlert, quote: Quote) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(alert)
    return _message(
        to=alert.address,
        subject=f"Kursalarm: {alert_label(alert)}",
        template="fired",
        context={
            "label": alert_label(alert),
            "coin": alert.coin.name,
            "price": formatting.format_price(quote.price),
            "change_24h": formatting.format_percent(quote.change_24h, 2, sign=True),
            "as_of": local_time(quote.status.as_of),
            "source": SOURCE,
            "manage_url": manage_url(alert),
            "unsubscribe_url": unsubscribe,
            "coin_url": absolute_url(pillar_reverse("markets:coin", alert.coin.coingecko_id)),
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
