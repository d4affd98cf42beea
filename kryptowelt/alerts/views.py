"""/kursalarm/ (the routes of PriceAlertPage): the form's answer, confirmation, manage,
one-click delete and "delete all". Readers get no cookie: the coin page is cached for
everyone and carries no CSRF token, so these POSTs are `csrf_exempt`; a browser's
cross-site POST is refused (core/optin.py: `Sec-Fetch-Site`, `Origin`), the public POST
rate limit counts every one (the links that delete: per link, core/security.py), and a
forged request can at most cause a confirmation mail (double opt-in)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt

from kryptowelt.alerts import tokens
from kryptowelt.alerts.forms import AlertForm
from kryptowelt.alerts.mails import alert_label
from kryptowelt.alerts.models import PriceAlert, PriceAlertPage
from kryptowelt.alerts.selectors import (
    alert_from_token,
    alerts_of_address,
    coin_for_alert,
    coin_quote,
    max_data_age,
)
from kryptowelt.alerts.services import (
    alert_confirm,
    alert_delete,
    alert_rearm,
    alert_request,
    alerts_delete_all,
)
from kryptowelt.alerts.tasks import request_mail_task
from kryptowelt.caching.http import PRIVATE
from kryptowelt.core.models import pillar_reverse
from kryptowelt.core.optin import cross_site_post
from kryptowelt.core.page_views import route_view
from kryptowelt.markets.models import Coin

TEMPLATE = "alerts/alert_page.html"
BAD_LINK = (
    "Dieser Link ist ungültig oder unvollständig. Bitte öffnen Sie ihn direkt aus der E-Mail; "
    "manche Mailprogramme brechen lange Links um."
)
EXPIRED_LINK = (
    "Dieser Bestätigungslink ist abgelaufen. Bitte legen Sie den Kursalarm auf der Seite der "
    "Kryptowährung neu an."
)
GONE = "Diesen Kursalarm gibt es nicht mehr; er wurde gelöscht."


def _render(request, page, *, status: int = 200, private: bool = True, **context):
    response = page.render(
        request,
        template=TEMPLATE,
        context_overrides={
            "noindex": True,
            "confirm_hours": settings.KRYPTOWELT_ALERTS_CONFIRM_HOURS,
            "markets_url": pillar_reverse("markets:index"),
            **context,
        },
    )
    response.status_code = status
    if private:
        response["Cache-Control"] = PRIVATE
    return response


def _refused(request, page):
    return _render(
        request,
        page,
        status=403,
        view="error",
        message="Dieses Formular kann nur auf unseren Seiten abgeschickt werden.",
    )


def _bad_token(request, page, error: tokens.BadToken):
    if error.expired:
        return _render(request, page, status=410, view="error", message=EXPIRED_LINK)
    return _render(request, page, status=404, view="error", message=BAD_LINK)


@route_view(PriceAlertPage, "index")
def index(request, page):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _render(request, page, private=False, view="index", noindex=False)


@route_view(PriceAlertPage, "create")
@csrf_exempt
def create(request, page):
    if request.method in ("GET", "HEAD"):
        return HttpResponseRedirect(page.url)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    if cross_site_post(request):
        return _refused(request, page)
    form = AlertForm(request.POST)
    coin: Coin | None = None
    if form.is_valid():
        coin = coin_for_alert(coin_id=form.cleaned_data["coin"])
        if coin is None:
            form.add_error("coin", "Diese Kryptowährung kennen wir nicht.")
        else:
            quote = coin_quote(coin=coin)
            form.check_against(price=quote.price, change_24h=quote.change_24h)
    if not form.is_valid():
        if coin is None and "coin" not in form.errors:
            coin = coin_for_alert(coin_id=form.cleaned_data.get("coin", ""))
        return _render(
            request,
            page,
            status=400,
            view="form",
            form=form,
            coin=coin,
            coin_url=pillar_reverse("markets:coin", coin.coingecko_id) if coin else "",
        )
    data = form.cleaned_data
    due = alert_request(
        address=data["adresse"], coin=coin, kind=data["art"], threshold=data["schwelle"]
    )
    if due is not None:
        # Queued, never sent here: a slow or dead mail server must not delay the answer.
        request_mail_task.enqueue(due.alert_id, due.mail)
    return _render(
        request,
        page,
        view="requested",
        coin=coin,
        coin_url=pillar_reverse("markets:coin", coin.coingecko_id),
    )


@route_view(PriceAlertPage, "confirm")
@csrf_exempt
def confirm(request, page, token: str):
    """GET asks (link scanners of mail gateways open every link and must not confirm an alert
    nobody asked for); the POST of the page's button confirms."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    max_age = settings.KRYPTOWELT_ALERTS_CONFIRM_HOURS * 3600
    try:
        alert = alert_from_token(token, purpose=tokens.CONFIRM, max_age=max_age)
    except tokens.BadToken as error:
        # An old link of an alert confirmed long ago: nothing to do, and nothing is wrong.
        confirmed = _confirmed_before(token) if error.expired else None
        if confirmed is None:
            return _bad_token(request, page, error)
        return _manage_page(request, page, confirmed, notice="already_confirmed")
    if request.method != "POST":
        if alert.state != PriceAlert.PENDING:
            return _manage_page(request, page, alert, notice="already_confirmed")
        return _render(request, page, view="confirm", label=alert_label(alert))
    if cross_site_post(request):
        return _refused(request, page)
    changed = alert_confirm(alert=alert)
    notice = "confirmed" if changed else "already_confirmed"
    return _manage_page(request, page, alert, notice=notice)


def _confirmed_before(token: str) -> PriceAlert | None:
    try:
        alert = alert_from_token(token, purpose=tokens.CONFIRM)
    except tokens.BadToken:
        return None
    return None if alert.state == PriceAlert.PENDING else alert


def _manage_page(request, page, alert: PriceAlert, *, notice: str = "", status: int = 200):
    quote = coin_quote(coin=alert.coin)
    others = [a for a in alerts_of_address(address=alert.address) if a.pk != alert.pk]
    return _render(
        request,
        page,
        status=status,
        view="manage",
        notice=notice,
        alert=alert,
        label=alert_label(alert),
        quote=quote,
        max_age_minutes=int(max_data_age().total_seconds() // 60),
        manage_action=pillar_reverse(
            "alerts:manage", token=tokens.alert_token(alert, purpose=tokens.MANAGE)
        ),
        delete_all_url=pillar_reverse(
            "alerts:delete_all", token=tokens.alert_token(alert, purpose=tokens.DELETE_ALL)
        ),
        others=[
            (
                alert_label(other),
                other.get_state_display(),
                pillar_reverse(
                    "alerts:manage", token=tokens.alert_token(other, purpose=tokens.MANAGE)
                ),
            )
            for other in others
        ],
        coin_url=pillar_reverse("markets:coin", alert.coin.coingecko_id),
    )


@route_view(PriceAlertPage, "manage")
@csrf_exempt
def manage(request, page, token: str):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        alert = alert_from_token(token, purpose=tokens.MANAGE)
    except tokens.BadToken as error:
        return _gone_or_bad(request, page, token, tokens.MANAGE, error)
    if request.method != "POST":
        return _manage_page(request, page, alert)
    if cross_site_post(request):
        return _refused(request, page)
    action = request.POST.get("aktion", "")
    if action == "loeschen":
        label = alert_label(alert)
        alert_delete(alert=alert)
        return _render(request, page, view="deleted", label=label)
    if action == "reaktivieren":
        changed = alert_rearm(alert=alert)
        return _manage_page(request, page, alert, notice="rearmed" if changed else "not_paused")
    return _manage_page(request, page, alert, notice="unknown_action", status=400)


def _gone_or_bad(request, page, token, purpose, error):
    """A valid link whose alert was deleted says so (200); anything else is a bad link."""
    if not error.expired:
        try:
            tokens.alert_token_read(token, purpose=purpose)
        except tokens.BadToken:
            pass
        else:
            return _render(request, page, view="error", message=GONE)
    return _bad_token(request, page, error)


@route_view(PriceAlertPage, "unsubscribe")
@csrf_exempt
def unsubscribe(request, page, token: str):
    """RFC 8058: a POST (List-Unsubscribe=One-Click, from the mail program) deletes at once;
    a GET (a person following the link, or a link scanner) only shows the button."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        alert = alert_from_token(token, purpose=tokens.UNSUBSCRIBE)
    except tokens.BadToken as error:
        return _gone_or_bad(request, page, token, tokens.UNSUBSCRIBE, error)
    label = alert_label(alert)
    if request.method != "POST":
        return _render(request, page, view="unsubscribe", label=label)
    alert_delete(alert=alert)
    return _render(request, page, view="deleted", label=label)


@route_view(PriceAlertPage, "delete_all")
@csrf_exempt
def delete_all(request, page, token: str):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        alert = alert_from_token(
            token, purpose=tokens.DELETE_ALL, max_age=tokens.DELETE_ALL_SECONDS
        )
    except tokens.BadToken as error:
        return _gone_or_bad(request, page, token, tokens.DELETE_ALL, error)
    address = alert.address
    if request.method != "POST":
        return _render(
            request, page, view="delete_all", count=len(alerts_of_address(address=address))
        )
    if cross_site_post(request):
        return _refused(request, page)
    return _render(request, page, view="deleted_all", count=alerts_delete_all(address=address))
