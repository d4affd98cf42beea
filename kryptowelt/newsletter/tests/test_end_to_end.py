"""The issue's "done when": subscribe → confirmation mail → confirm → edition arrives →
one-click unsubscribe, through the HTTP client, the task queue (ImmediateBackend) and a real
SMTP server on loopback."""

import re
import time

from kryptowelt.conftest import hung_mail_server, run_queued
from kryptowelt.newsletter.factories import edition_make
from kryptowelt.newsletter.links import data_url
from kryptowelt.newsletter.models import Subscriber

ADDRESS = "leserin@example.org"


def _link(message, pattern: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(rf"(http://testserver/newsletter/{pattern}/[^/\s]+/)", text)
    assert match, text
    return match.group(1)


def _assert_unsubscribe_headers(message):
    header = message["List-Unsubscribe"].strip()
    assert re.fullmatch(r"<http://testserver/newsletter/abmelden/[^>]+/>", header)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(preferencelist=("plain",)) is not None
    assert message.get_body(preferencelist=("html",)) is not None
    return header[1:-1]


def test_subscribe_confirm_receive_and_unsubscribe_with_one_click(
    newsletter, daily, reader, editor_client, smtp_server, article_factory
):
    article = article_factory(title="Bitcoin erreicht neues Hoch")

    # Sign up as the form does it: a plain POST without CSRF token or cookie.
    answer = reader.post(
        "/newsletter/anmelden/", {"email": "  Leserin@Example.org ", "liste": ["taeglich"]}
    )
    assert answer.status_code == 303
    assert answer["Location"] == "/newsletter/angemeldet/"
    assert not answer.cookies
    thanks = reader.get(answer["Location"])
    assert "Bitte bestätigen Sie Ihre Anmeldung" in thanks.content.decode()
    assert not thanks.cookies

    (confirmation,) = smtp_server.to(ADDRESS)
    assert "bestätigen" in confirmation["Subject"]
    _assert_unsubscribe_headers(confirmation)
    confirm_url = _link(confirmation, "bestaetigen")
    assert Subscriber.objects.get(address=ADDRESS).confirmed_at is None

    # Opening the link (a mail scanner may) asks; the button confirms.
    page = reader.get(confirm_url)
    assert page.status_code == 200
    assert "Anmeldung bestätigen" in page.content.decode()
    assert Subscriber.objects.get(address=ADDRESS).confirmed_at is None
    done = reader.post(confirm_url)
    assert "Anmeldung bestätigt" in done.content.decode()
    assert Subscriber.objects.get(address=ADDRESS).confirmed_at is not None

    # An editor makes an edition and sends it from the admin.
    edition = edition_make(
        index=newsletter,
        newsletter_list=daily,
        title="Der Tag in der Kryptowelt",
        intro="<p>Guten Morgen aus der Redaktion.</p>",
        articles=[article],
    )
    assert reader.get(edition.url).status_code == 404  # not public before it is sent
    sent = editor_client.post(
        f"/admin/newsletter/ausgabe/{edition.pk}/versand/", {"aktion": "senden"}
    )
    assert sent.status_code == 302
    log = editor_client.get(f"/admin/newsletter/ausgabe/{edition.pk}/versand/").content.decode()
    assert re.search(r"Gesendet</th><td>1<", log)

    mails = smtp_server.to(ADDRESS)
    assert len(mails) == 2
    issue = mails[1]
    assert issue["Subject"] == "Der Tag in der Kryptowelt"
    html = issue.get_body(preferencelist=("html",)).get_content()
    assert "Bitcoin erreicht neues Hoch" in html
    assert "Guten Morgen aus der Redaktion." in html
    assert f'href="http://testserver{article.url}"' in html
    unsubscribe_url = _assert_unsubscribe_headers(issue)

    # The archive is public now.
    assert reader.get(edition.url).status_code == 200
    assert "Der Tag in der Kryptowelt" in reader.get("/newsletter/").content.decode()

    # RFC 8058: the mail program POSTs without a form, token or cookie.
    one_click = reader.post(
        unsubscribe_url,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert "Sie sind abgemeldet" in one_click.content.decode()
    assert not Subscriber.objects.filter(address=ADDRESS).exists()


def test_a_hung_mail_server_never_delays_sign_up_or_data_request(
    newsletter, daily, reader, smtp_server, settings, task_queue
):
    """Confirmation and "Meine Daten" mails go through the task queue: while the mail server
    hangs the reader still gets the German answer at once; the mails arrive when the worker
    runs the tasks."""
    with hung_mail_server(settings, timeout=5):
        started = time.perf_counter()
        answer = reader.post("/newsletter/anmelden/", {"email": ADDRESS, "liste": ["taeglich"]})
        data = reader.post(data_url(ADDRESS))
        took = time.perf_counter() - started
    assert took < 2.5  # an inline send would wait the 5 s timeout (twice)
    assert answer.status_code == 303
    assert "Bitte bestätigen Sie Ihre Anmeldung" in reader.get(answer["Location"]).content.decode()
    assert data.status_code == 200 and "unterwegs" in data.content.decode()
    assert smtp_server.messages == []
    assert run_queued(task_queue) == ["sent", "sent"]
    confirmation, data_mail = smtp_server.to(ADDRESS)
    assert "bestätigen" in confirmation["Subject"]
    assert "gespeicherten Daten" in data_mail["Subject"]
