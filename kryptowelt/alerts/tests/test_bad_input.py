"""Bad input on the alert form and links: a German message, the right status, nothing
written, no mail; the same answer whatever the address already has; the public POST limit."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from kryptowelt.alerts.models import PriceAlert
from kryptowelt.alerts.tests.conftest import links
from kryptowelt.alerts.tokens import DELETE_ALL, MANAGE, UNSUBSCRIBE, alert_token
from kryptowelt.markets.models import Coin

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
VALID = {"coin": "bitcoin", "art": "ueber", "schwelle": "90.000", "adresse": "a@example.org"}


def _post(client, **fields):
    return client.post("/kursalarm/neu/", {**VALID, **fields})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"adresse": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ({"adresse": ""}, "Bitte geben Sie Ihre E-Mail-Adresse ein"),
        ({"adresse": "a" * 250 + "@example.org"}, "zu lang"),
        ({"adresse": "a@example.org\r\nBcc: opfer@example.org"}, "Zeilenumbrüche"),
        ({"adresse": "a@example.org\nBcc: opfer@example.org"}, "Zeilenumbrüche"),
        ({"schwelle": "-5"}, "positive Zahl"),
        ({"schwelle": "0"}, "größer als null"),
        ({"schwelle": "abc"}, "Bitte eine Zahl eingeben"),
        ({"schwelle": "1" * 40}, "zu lang"),
        ({"schwelle": "90.000.000.000"}, "unrealistisch"),
        ({"schwelle": "50"}, "unrealistisch weit"),
        ({"schwelle": "70.000"}, "bereits über"),
        ({"art": "unter", "schwelle": "90.000"}, "bereits unter"),
        ({"art": "prozent", "schwelle": "5000"}, "zwischen 0,1 und 1.000 Prozent"),
        ({"art": "prozent", "schwelle": "0,05"}, "zwischen 0,1 und 1.000 Prozent"),
        ({"art": "seitwaerts"}, "„über“, „unter“"),
        ({"coin": "gibt-es-nicht"}, "kennen wir nicht"),
        ({"coin": "../../etc"}, "kennen wir nicht"),
    ],
)
def test_bad_form_input_gets_a_german_message_and_writes_and_sends_nothing(
    client, synced, fields, message
):
    response = _post(client, **fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Der Kursalarm wurde nicht angelegt" in html and message in html
    assert not PriceAlert.objects.exists()
    assert mail.outbox == []
    assert not response.cookies


def test_german_numbers_with_and_without_thousands_separator(client, synced):
    for text in ("91.234,56", "91234,56", "91234.56"):
        assert _post(client, schwelle=text).status_code == 200
    # All three mean the same threshold: one alert, the other two answered by mail.
    alert = PriceAlert.objects.get()
    assert str(alert.threshold.normalize()) == "91234.56"


def test_the_answer_is_the_same_whatever_the_address_already_has(client, synced, settings):
    settings.KRYPTOWELT_ALERTS_PER_ADDRESS = 1
    first = _post(client)
    client.post(links(mail.outbox[0])[0])  # confirmed
    same_again = _post(client)
    over_limit = _post(client, schwelle="95.000")
    fresh = _post(client, adresse="neu@example.org")

    def main(response):
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert main(first) == main(same_again) == main(over_limit) == main(fresh)
    # Only the mailbox owner learns the difference.
    subjects = [m.subject for m in mail.outbox if m.to == ["a@example.org"]]
    assert subjects[1].endswith("besteht bereits")
    assert subjects[2] == "Kursalarm nicht angelegt: Höchstzahl erreicht"
    assert PriceAlert.objects.filter(address="a@example.org").count() == 1


def test_addresses_are_normalised_so_case_does_not_bypass_the_limit(client, synced):
    _post(client, adresse="  Leser@Example.ORG ")
    _post(client, adresse="leser@example.org")
    assert list(PriceAlert.objects.values_list("address", flat=True)) == ["leser@example.org"]


def test_mails_to_one_address_are_limited_per_hour(client, synced, settings):
    settings.KRYPTOWELT_ALERTS_MAILS_PER_ADDRESS_HOUR = 2
    for threshold in ("90.000", "91.000", "92.000", "93.000"):
        assert _post(client, schwelle=threshold).status_code == 200
    assert len(mail.outbox) == 2
    assert PriceAlert.objects.count() == 2


def test_public_post_rate_limit_applies_to_the_alert_form(client, synced, settings):
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "2/m"
    assert [_post(client).status_code for _ in range(2)] == [200, 200]
    limited = _post(client, schwelle="95.000")
    assert limited.status_code == 429 and "Zu viele Anfragen" in limited.content.decode()
    assert PriceAlert.objects.count() == 1


def test_a_cross_site_post_is_refused(client, synced):
    response = client.post("/kursalarm/neu/", VALID, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert "nur auf unseren Seiten" in response.content.decode()
    assert not PriceAlert.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("route", ["bestaetigen", "verwalten", "abbestellen", "alle-loeschen"])
def test_tampered_links_get_a_german_page_and_change_nothing(client, synced, route):
    _post(client)
    [confirm_path] = links(mail.outbox[0])
    token = confirm_path.rstrip("/").rsplit("/", 1)[1]
    for bad in (token[:-3] + "AAA", "x", "A" * 900, token):  # the last: right token, wrong purpose
        if route == "bestaetigen" and bad == token:
            continue
        response = client.get(f"/kursalarm/{route}/{bad}/")
        assert response.status_code == 404
        assert "Dieser Link ist ungültig" in response.content.decode()
        response = client.post(f"/kursalarm/{route}/{bad}/")
        assert response.status_code in (404, 405)
    assert PriceAlert.objects.get().state == PriceAlert.PENDING
    assert len(mail.outbox) == 1


def test_an_expired_confirmation_link_says_so_and_changes_nothing(client, synced, time_machine):
    _post(client)
    [confirm_path] = links(mail.outbox[0])
    time_machine.move_to(timezone.now() + dt.timedelta(hours=49))
    for response in (client.get(confirm_path), client.post(confirm_path)):
        assert response.status_code == 410
        assert "abgelaufen" in response.content.decode()
    assert PriceAlert.objects.get().state == PriceAlert.PENDING


def test_delete_links_from_mails_are_never_refused_by_the_post_limit(client, synced, settings):
    """Mail programs and shared mail gateways POST one-click deletes (RFC 8058) of many
    readers from one address: the readers' POST limit counts them per link, so they all
    work, while the form stays limited for that address."""
    coin = Coin.objects.get(coingecko_id="bitcoin")
    alerts = [
        PriceAlert.objects.create(
            address=f"l{i}@example.org", coin=coin, kind=PriceAlert.ABOVE, threshold=90000 + i
        )
        for i in range(6)
    ]
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "2/m"
    one_click = {"data": "List-Unsubscribe=One-Click", "content_type": FORM}
    gone = [
        client.post(f"/kursalarm/abbestellen/{alert_token(a, purpose=UNSUBSCRIBE)}/", **one_click)
        for a in alerts[:4]
    ]
    assert [answer.status_code for answer in gone] == [200] * 4
    manage = f"/kursalarm/verwalten/{alert_token(alerts[4], purpose=MANAGE)}/"
    assert client.post(manage, {"aktion": "loeschen"}).status_code == 200
    delete_all = f"/kursalarm/alle-loeschen/{alert_token(alerts[5], purpose=DELETE_ALL)}/"
    assert "1 Kursalarm" in client.post(delete_all).content.decode()
    assert not PriceAlert.objects.exists()

    assert [_post(client, schwelle=s).status_code for s in ("90.000", "91.000", "92.000")] == [
        200,
        200,
        429,
    ]
