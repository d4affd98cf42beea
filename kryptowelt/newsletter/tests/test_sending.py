"""Sending editions: only confirmed addresses of the list, resumable after a crash without
sending twice, the log, bounces, test send and the "Als E-Mail" preview."""

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from kryptowelt.newsletter.factories import edition_make, subscribers_make
from kryptowelt.newsletter.jobs import send_due_editions
from kryptowelt.newsletter.models import Delivery, EditionSend, NewsletterList, Subscriber
from kryptowelt.newsletter.selectors import edition_send_log
from kryptowelt.newsletter.sending import (
    INTERRUPTED,
    deliveries_prepare,
    edition_send_run,
    edition_send_start,
)


@pytest.fixture
def edition(newsletter, daily, article_factory):
    article = article_factory(title="Ethereum im Wandel")
    return edition_make(index=newsletter, newsletter_list=daily, articles=[article])


def test_only_confirmed_addresses_of_the_list_receive_the_edition(edition, daily):
    weekly = NewsletterList.objects.get(slug="woechentlich")
    subscribers_make(newsletter_list=daily, count=3, domain="taeglich.example")
    subscribers_make(newsletter_list=daily, count=2, domain="offen.example", confirmed=False)
    subscribers_make(newsletter_list=weekly, count=2, domain="woche.example")
    send = edition_send_start(edition=edition)
    counts = edition_send_run(send_id=send.pk)
    assert counts["sent"] == 3
    assert sorted(m.to[0].split("@")[1] for m in mail.outbox) == ["taeglich.example"] * 3
    assert all(m.extra_headers["List-Unsubscribe-Post"] for m in mail.outbox)


class SimulatedCrash(BaseException):
    """The worker dies (kill -9): nothing after this line of the send runs."""


def test_a_send_resumes_after_a_crash_without_sending_anyone_twice(edition, daily, monkeypatch):
    subscribers_make(newsletter_list=daily, count=10)
    send = edition_send_start(edition=edition)
    original = EmailBackend.send_messages

    def crash_after_the_fourth_mail_went_out(self, messages):
        accepted = original(self, messages)
        if len(mail.outbox) == 4:
            raise SimulatedCrash  # handed over, but the worker died before recording it
        return accepted

    monkeypatch.setattr(EmailBackend, "send_messages", crash_after_the_fourth_mail_went_out)
    with pytest.raises(SimulatedCrash):
        edition_send_run(send_id=send.pk, batch_size=3)
    assert len(mail.outbox) == 4
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 1
    # The lease of the dead run still holds: a second worker does not start meanwhile.
    assert edition_send_run(send_id=send.pk) == {"busy_or_done": True}
    # The worker is restarted after the lease ran out.
    EditionSend.objects.filter(pk=send.pk).update(
        lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    monkeypatch.setattr(EmailBackend, "send_messages", original)
    counts = edition_send_run(send_id=send.pk, batch_size=3)

    assert counts == {"sent": 6, "failed": 0, "skipped": 0, "interrupted": 1}
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 10  # everyone once, nobody twice
    interrupted = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert interrupted.error == INTERRUPTED  # in doubt: counted as failed, not repeated
    log = edition_send_log(edition=edition)
    assert (log.recipients, log.sent, log.failed, log.pending) == (10, 9, 1, 0)
    assert EditionSend.objects.get(pk=send.pk).finished_at is not None
    # Done is done: running again sends nothing.
    assert edition_send_run(send_id=send.pk) == {"busy_or_done": True}
    assert len(mail.outbox) == 10


def test_someone_who_unsubscribes_during_the_send_gets_nothing(edition, daily):
    subscribers_make(newsletter_list=daily, count=3)
    send = edition_send_start(edition=edition)
    deliveries_prepare(send=send)
    Subscriber.objects.filter(address="leser1@example.invalid").delete()
    counts = edition_send_run(send_id=send.pk)
    assert counts["sent"] == 2
    assert counts["skipped"] == 1
    assert "leser1@example.invalid" not in [m.to[0] for m in mail.outbox]


def test_unpublished_or_listless_editions_are_not_sent(newsletter, daily, editor_client):
    draft = edition_make(index=newsletter, newsletter_list=daily, title="Entwurf", publish=False)
    subscribers_make(newsletter_list=daily, count=1)
    answer = editor_client.post(
        f"/admin/newsletter/ausgabe/{draft.pk}/versand/", {"aktion": "senden"}, follow=True
    )
    assert "Bitte veröffentlichen Sie die Ausgabe zuerst." in answer.content.decode()
    assert mail.outbox == []
    assert not EditionSend.objects.exists()


def test_test_send_goes_to_the_editor_only(edition, daily, editor_client):
    subscribers_make(newsletter_list=daily, count=2)
    answer = editor_client.post(
        f"/admin/newsletter/ausgabe/{edition.pk}/versand/", {"aktion": "test"}, follow=True
    )
    assert "Testversand an redaktion@example.org" in answer.content.decode()
    (message,) = mail.outbox
    assert message.to == ["redaktion@example.org"]
    assert message.subject.startswith("[Test] ")
    assert not EditionSend.objects.exists()


def test_the_preview_as_mail_shows_the_mail(edition):
    assert ("email", "Als E-Mail") in [(m, str(label)) for m, label in edition.preview_modes]
    answer = edition.make_preview_request(preview_mode="email")
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Ethereum im Wandel" in html
    assert "Abmelden (ein Klick)" in html


def test_scheduled_editions_go_out_when_their_time_comes(edition, daily):
    subscribers_make(newsletter_list=daily, count=2)
    assert send_due_editions() == 0  # no send time set
    edition.send_at = timezone.now() - dt.timedelta(minutes=1)
    edition.save_revision().publish()
    assert send_due_editions() == 1
    assert len(mail.outbox) == 2
    assert send_due_editions() == 0


def test_bounces_are_recorded_by_command(edition, daily):
    subscribers_make(newsletter_list=daily, count=2)
    send = edition_send_start(edition=edition)
    edition_send_run(send_id=send.pk)
    call_command("newsletter_bounce", "LESER0@example.invalid", "--loeschen")
    log = edition_send_log(edition=edition)
    assert (log.sent, log.bounced) == (1, 1)
    assert not Subscriber.objects.filter(address="leser0@example.invalid").exists()
    with pytest.raises(CommandError, match="Keine Zustellung"):
        call_command("newsletter_bounce", "niemand@example.org")
