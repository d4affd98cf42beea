"""The whole way of a price alert against a real SMTP server on loopback: form on the coin
page → confirmation mail → confirm (GET asks, POST confirms) → a sync crossing the threshold → exactly one mail; the same
sync again → none; stale data → none and the manage page says so; re-arm → fires again;
one-click delete (RFC 8058)."""

import datetime as dt
import time

import pytest

from kryptowelt.alerts.models import PriceAlert
from kryptowelt.alerts.services import alerts_check
from kryptowelt.alerts.tests.conftest import links, market_sync
from kryptowelt.conftest import hung_mail_server, run_queued

pytestmark = pytest.mark.django_db

ADDRESS = "leserin@example.org"


def _set_alert(client, **fields):
    data = {"coin": "bitcoin", "art": "ueber", "schwelle": "90.000,00", "adresse": ADDRESS}
    return client.post("/kursalarm/neu/", {**data, **fields})


def test_an_alert_fires_once_per_crossing_never_on_stale_data_and_again_after_rearming(
    client, synced, smtp_server
):
    coin_page = client.get("/kurse/bitcoin/").content.decode()
    assert 'action="/kursalarm/neu/"' in coin_page and "Kursalarm per E-Mail" in coin_page

    answer = _set_alert(client)
    assert answer.status_code == 200
    assert "Fast geschafft" in answer.content.decode()
    assert not answer.cookies
    [confirmation] = smtp_server.to(ADDRESS)
    assert "Bitte bestätigen" in confirmation["Subject"]
    assert "Bitcoin über 90.000,00" in confirmation.get_body(("plain",)).get_content()
    assert confirmation.get_body(("html",)) is not None
    [confirm_path] = links(confirmation)

    # Not confirmed yet: a crossing sync sends nothing.
    market_sync(price=91000)
    assert len(smtp_server.to(ADDRESS)) == 1

    # Opening the link (a mail gateway's link scanner does) only asks; the button confirms.
    asked = client.get(confirm_path)
    assert asked.status_code == 200 and "Kursalarm bestätigen" in asked.content.decode()
    assert PriceAlert.objects.get().state == PriceAlert.PENDING
    confirmed = client.post(confirm_path)
    assert confirmed.status_code == 200
    assert "Ihr Kursalarm ist bestätigt" in confirmed.content.decode()
    alert = PriceAlert.objects.get()
    assert alert.state == PriceAlert.ACTIVE and alert.confirmed_at is not None
    # Opened twice: a friendly page, nothing changes.
    again = client.post(confirm_path)
    assert again.status_code == 200 and "bereits bestätigt" in again.content.decode()
    assert "bereits bestätigt" in client.get(confirm_path).content.decode()
    PriceAlert.objects.get(confirmed_at=alert.confirmed_at)

    # Below the threshold: nothing. Crossing it: exactly one mail.
    market_sync(price=85000)
    assert len(smtp_server.to(ADDRESS)) == 1
    market_sync(price=91234.5, change_24h=3.2)
    mails = smtp_server.to(ADDRESS)
    assert len(mails) == 2
    fired = mails[1]
    assert fired["Subject"] == "Kursalarm: Bitcoin über 90.000,00\u00a0€"
    text = fired.get_body(("plain",)).get_content()
    assert "91.234,50\u00a0€" in text and "+3,20\u00a0%" in text
    assert "Quelle: CoinGecko" in text and " Uhr" in text
    assert fired.get_body(("html",)) is not None
    assert fired["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = fired["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe_url.startswith("http://testserver/kursalarm/abbestellen/")
    manage_path = next(p for p in links(fired) if "/verwalten/" in p)
    assert PriceAlert.objects.get().state == PriceAlert.FIRED

    # The same sync again, and the check run twice: still one mail (the alert is paused).
    market_sync(price=91234.5, change_24h=3.2)
    assert alerts_check().fired == []
    assert len(smtp_server.to(ADDRESS)) == 2

    # Re-armed, but the data is old: nothing, and the manage page says why.
    rearmed = client.post(manage_path, {"aktion": "reaktivieren"})
    assert "wieder aktiv" in rearmed.content.decode()
    market_sync(price=95000, age=dt.timedelta(hours=2))
    assert len(smtp_server.to(ADDRESS)) == 2
    page = client.get(manage_path).content.decode()
    assert "Kursdaten veraltet" in page and "2 Stunden alt" in page

    # Fresh data again: it fires a second time.
    market_sync(price=95000)
    assert len(smtp_server.to(ADDRESS)) == 3

    # One-click delete: GET only shows the button; POST (what the mail program sends) deletes.
    path = unsubscribe_url.removeprefix("http://testserver")
    assert "Kursalarm löschen" in client.get(path).content.decode()
    assert PriceAlert.objects.exists()
    gone = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert gone.status_code == 200 and "ist gelöscht" in gone.content.decode()
    assert not PriceAlert.objects.exists()
    assert "gibt es nicht mehr" in client.get(manage_path).content.decode()


def test_a_percent_alert_fires_on_the_24h_change_either_way(client, synced, smtp_server):
    _set_alert(client, art="prozent", schwelle="5")
    client.post(links(smtp_server.to(ADDRESS)[0])[0])
    market_sync(change_24h=-4.9)
    assert len(smtp_server.to(ADDRESS)) == 1
    market_sync(change_24h=-5.5)
    mails = smtp_server.to(ADDRESS)
    assert len(mails) == 2
    assert "Bitcoin ± 5\u00a0% in 24 Stunden" in mails[1]["Subject"]
    assert "-5,50\u00a0%" in mails[1].get_body(("plain",)).get_content()


def test_delete_all_removes_every_alert_of_the_address_only(client, synced, smtp_server):
    for threshold in ("90.000", "100.000"):
        _set_alert(client, schwelle=threshold)
    _set_alert(client, adresse="andere@example.org")
    for message in smtp_server.messages:
        client.post(links(message)[0])
    manage = client.get(links(smtp_server.to(ADDRESS)[0])[0]).content.decode()
    assert "Ihre weiteren Kursalarme" in manage and "100.000,00" in manage
    path = manage.split('href="/kursalarm/alle-loeschen/')[1].split('"')[0]
    delete_all = f"/kursalarm/alle-loeschen/{path}"
    assert "2 Kursalarme" in client.get(delete_all).content.decode()
    assert PriceAlert.objects.count() == 3
    done = client.post(delete_all)
    assert "2 Kursalarme gelöscht" in done.content.decode()
    assert list(PriceAlert.objects.values_list("address", flat=True)) == ["andere@example.org"]


def test_a_failed_mail_leaves_the_alert_active_for_the_next_sync(
    client, synced, smtp_server, settings
):
    _set_alert(client)
    client.post(links(smtp_server.to(ADDRESS)[0])[0])
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, 9  # nothing listens: sending fails
    market_sync(price=91000)
    assert PriceAlert.objects.get().state == PriceAlert.ACTIVE
    settings.EMAIL_PORT = port
    market_sync(price=91000)
    assert PriceAlert.objects.get().state == PriceAlert.FIRED
    assert len(smtp_server.to(ADDRESS)) == 2


def test_a_hung_mail_server_never_delays_the_answer_and_the_mail_follows(
    client, synced, smtp_server, settings, task_queue
):
    """The confirmation mail goes through the task queue: the reader gets the German answer
    at once even while the mail server hangs; the mail arrives when the worker runs it."""
    with hung_mail_server(settings, timeout=5):
        started = time.perf_counter()
        answer = _set_alert(client)
        took = time.perf_counter() - started
        assert answer.status_code == 200 and "Fast geschafft" in answer.content.decode()
        assert took < 2.5  # an inline send would wait the 5 s timeout
        assert PriceAlert.objects.get().state == PriceAlert.PENDING
        # The worker meets the hung server: the mail fails, the new alert is removed again.
        settings.EMAIL_TIMEOUT = 0.5
        assert run_queued(task_queue) == ["failed"]
        assert not PriceAlert.objects.exists()
        _set_alert(client)
    assert smtp_server.messages == []
    assert run_queued(task_queue) == ["sent"]
    [confirmation] = smtp_server.to(ADDRESS)
    assert "Bitte bestätigen" in confirmation["Subject"]
    client.post(links(confirmation)[0])
    assert PriceAlert.objects.get().state == PriceAlert.ACTIVE
