"""Bad input at sign-up and in links: a German message, no mail, nothing written; and the
same answer for new, pending and confirmed addresses."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from kryptowelt.newsletter.jobs import send_due_editions
from kryptowelt.newsletter.links import confirm_url, unsubscribe_url
from kryptowelt.newsletter.models import Subscriber
from kryptowelt.newsletter.services import subscriber_request

PATH = "/newsletter/anmelden/"
FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Bitte geben Sie Ihre E-Mail-Adresse ein."),
        ("kein-at-zeichen", "keine gültige E-Mail-Adresse"),
        ("a" * 250 + "@example.org", "zu lang"),
        ("opfer@example.org\nBcc: alle@example.org", "Zeilenumbrüche"),
        ("opfer@example.org\r\n", "Zeilenumbrüche"),
    ],
)
def test_invalid_addresses_get_a_german_message_and_nothing_happens(
    newsletter, reader, email, message
):
    answer = reader.post(PATH, {"email": email, "liste": ["taeglich"]})
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not answer.cookies
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_unknown_list_and_no_list_are_refused(newsletter, reader):
    unknown = reader.post(PATH, {"email": "a@example.org", "liste": ["gibtsnicht"]})
    none = reader.post(PATH, {"email": "a@example.org"})
    assert unknown.status_code == none.status_code == 400
    assert "nur Listen aus dem Formular" in unknown.content.decode()
    assert "mindestens eine Liste" in none.content.decode()
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_a_cross_site_form_post_is_refused(newsletter, reader):
    answer = reader.post(
        PATH, {"email": "a@example.org", "liste": ["taeglich"]}, HTTP_ORIGIN="https://evil.example"
    )
    assert answer.status_code == 403
    assert Subscriber.objects.count() == 0


def test_new_pending_and_confirmed_addresses_get_the_same_answer(newsletter, daily, reader):
    subscriber_request(address="bestaetigt@example.org", lists=[daily])
    Subscriber.objects.filter(address="bestaetigt@example.org").update(confirmed_at=timezone.now())
    subscriber_request(address="offen@example.org", lists=[daily])
    answers = [
        reader.post(PATH, {"email": f"{name}@example.org", "liste": ["taeglich"]})
        for name in ("neu", "offen", "bestaetigt")
    ]
    assert {(a.status_code, a["Location"], a.content) for a in answers} == {
        (303, "/newsletter/angemeldet/", b"")
    }
    # Mail only where a confirmation is due; the confirmed one gets none and keeps its lists.
    assert sorted(m.to[0] for m in mail.outbox) == ["neu@example.org", "offen@example.org"]


def test_a_flood_of_sign_ups_for_one_address_sends_one_mail(newsletter, reader):
    for _ in range(5):
        reader.post(PATH, {"email": "ziel@example.org", "liste": ["taeglich"]})
    assert len(mail.outbox) == 1
    assert Subscriber.objects.filter(address="ziel@example.org").count() == 1


def test_sign_ups_are_rate_limited(newsletter, reader, settings):
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "2/m"
    codes = [
        reader.post(PATH, {"email": f"r{i}@example.org", "liste": ["taeglich"]}).status_code
        for i in range(3)
    ]
    assert codes == [303, 303, 429]
    assert Subscriber.objects.count() == 2


def test_tampered_and_expired_confirmation_links(newsletter, daily, reader, settings):
    subscriber_request(address="leser@example.org", lists=[daily])
    good = confirm_url("leser@example.org")
    tampered = good[:-3] + ("AAA/" if not good.endswith("AAA/") else "BBB/")
    answer = reader.post(tampered)
    assert answer.status_code == 400
    assert "Link ungültig" in answer.content.decode()
    # A token for unsubscribing does not confirm (one salt per purpose).
    wrong_purpose = unsubscribe_url("leser@example.org").replace("/abmelden/", "/bestaetigen/")
    assert reader.post(wrong_purpose).status_code == 400
    settings.KRYPTOWELT_NEWSLETTER_CONFIRM_HOURS = 0
    expired = reader.post(good)
    assert expired.status_code == 410
    assert "abgelaufen" in expired.content.decode()
    assert Subscriber.objects.get(address="leser@example.org").confirmed_at is None
    assert expired["Cache-Control"] == "private, no-store"


def test_a_confirmation_link_opened_twice_changes_nothing(newsletter, daily, reader):
    subscriber_request(address="leser@example.org", lists=[daily])
    url = confirm_url("leser@example.org")
    reader.post(url)
    first = Subscriber.objects.get(address="leser@example.org").confirmed_at
    again = reader.post(url)
    assert again.status_code == 200
    assert "Bereits bestätigt" in again.content.decode()
    assert Subscriber.objects.get(address="leser@example.org").confirmed_at == first
    assert "Bereits bestätigt" in reader.get(url).content.decode()


def test_get_on_the_unsubscribe_link_only_asks(newsletter, daily, reader):
    subscriber_request(address="leser@example.org", lists=[daily])
    page = reader.get(unsubscribe_url("leser@example.org"))
    assert page.status_code == 200
    assert "Jetzt abmelden" in page.content.decode()
    assert Subscriber.objects.filter(address="leser@example.org").exists()


def test_unconfirmed_requests_are_deleted_after_the_link_expired(newsletter, daily):
    subscriber_request(address="alt@example.org", lists=[daily])
    subscriber_request(address="frisch@example.org", lists=[daily])
    Subscriber.objects.filter(address="alt@example.org").update(
        requested_at=timezone.now() - dt.timedelta(hours=49)
    )
    send_due_editions()
    assert list(Subscriber.objects.values_list("address", flat=True)) == ["frisch@example.org"]


def test_one_click_unsubscribes_from_one_address_are_never_refused(
    newsletter, daily, reader, settings
):
    """A shared mail gateway POSTs the unsubscribes of many readers from one address
    (RFC 8058): the readers' POST limit must not refuse them; sign-ups stay limited, and one
    link POSTed again and again is limited on its own."""
    settings.KRYPTOWELT_PUBLIC_POST_RATE = "2/m"
    addresses = [f"leser{i}@example.org" for i in range(6)]
    for address in addresses:
        subscriber_request(address=address, lists=[daily])
    one_click = {"data": "List-Unsubscribe=One-Click", "content_type": FORM}
    answers = [reader.post(unsubscribe_url(address), **one_click) for address in addresses]
    assert [answer.status_code for answer in answers] == [200] * 6
    assert all("Sie sind abgemeldet" in answer.content.decode() for answer in answers)
    assert Subscriber.objects.count() == 0

    codes = [
        reader.post(PATH, {"email": f"flut{i}@example.org", "liste": ["taeglich"]}).status_code
        for i in range(3)
    ]
    assert codes == [303, 303, 429]

    same_link = unsubscribe_url("flut0@example.org")
    codes = [reader.post(same_link, **one_click).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    # A made-up link is no way around the limit: it counts per address (already used up).
    assert reader.post("/newsletter/abmelden/AAAA/", **one_click).status_code == 429
