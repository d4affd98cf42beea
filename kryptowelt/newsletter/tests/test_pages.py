"""The public side: no cookies, the sign-up form where readers are, the archive, its feeds,
the sitemap, and the reader's data on request."""

import re

from django.core import mail

from kryptowelt.newsletter.factories import edition_make, subscribers_make
from kryptowelt.newsletter.links import data_url
from kryptowelt.newsletter.sending import edition_send_run, edition_send_start
from kryptowelt.newsletter.services import subscriber_request


def _sent_edition(newsletter, daily, title="Wochenausgabe Nummer eins"):
    edition = edition_make(
        index=newsletter, newsletter_list=daily, title=title, intro="<p>Hallo.</p>"
    )
    subscribers_make(newsletter_list=daily, count=1)
    edition_send_run(send_id=edition_send_start(edition=edition).pk)
    return edition


def test_no_newsletter_page_or_answer_sets_a_cookie(newsletter, daily, reader, article_factory):
    article = article_factory()
    edition = _sent_edition(newsletter, daily)
    subscriber_request(address="leser@example.org", lists=[daily])
    token_page = reader.get(data_url("leser@example.org"))
    answers = [
        reader.get("/"),
        reader.get(article.url),
        reader.get("/newsletter/"),
        reader.get(edition.url),
        reader.get("/newsletter/feed/atom/"),
        reader.post("/newsletter/anmelden/", {"email": "x@example.org", "liste": ["taeglich"]}),
        reader.post("/newsletter/anmelden/", {"email": "falsch", "liste": ["taeglich"]}),
        token_page,
        reader.post(data_url("leser@example.org")),
    ]
    for answer in answers:
        assert answer.status_code in (200, 303, 400), answer
        assert "Set-Cookie" not in answer.headers
        assert not answer.cookies
    assert token_page["Cache-Control"] == "private, no-store"


def test_the_form_is_on_the_home_page_articles_and_the_newsletter_page(
    newsletter, reader, article_factory
):
    article = article_factory()
    for url in ("/", article.url, "/newsletter/"):
        html = reader.get(url).content.decode()
        assert 'action="/newsletter/anmelden/"' in html, url
        assert "csrfmiddlewaretoken" not in html
    assert 'value="woechentlich"' in reader.get("/newsletter/").content.decode()


def test_sent_editions_form_the_archive_with_feeds_and_sitemap(newsletter, daily, reader):
    edition = _sent_edition(newsletter, daily)
    unsent = edition_make(index=newsletter, newsletter_list=daily, title="Noch nicht verschickt")
    index = reader.get("/newsletter/").content.decode()
    assert "Wochenausgabe Nummer eins" in index
    assert "Noch nicht verschickt" not in index
    assert reader.get(unsent.url).status_code == 404
    page = reader.get(edition.url)
    assert page.status_code == 200
    assert "Hallo." in page.content.decode()
    atom = reader.get("/newsletter/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    body = atom.content.decode()
    assert "<title>Wochenausgabe Nummer eins</title>" in body
    assert f"http://testserver{edition.url}" in body
    assert "Noch nicht verschickt" not in body
    rss = reader.get("/newsletter/feed/rss/").content.decode()
    assert "<title>Wochenausgabe Nummer eins</title>" in rss
    sitemap = reader.get("/sitemap.xml").content.decode()
    assert f"http://testserver{edition.url}" in sitemap
    assert unsent.url not in sitemap
    assert "http://testserver/newsletter/</loc>" in sitemap


def test_meine_daten_mails_everything_stored_with_a_deletion_link(newsletter, daily, reader):
    subscriber_request(address="leser@example.org", lists=[daily])
    url = data_url("leser@example.org")
    assert "Daten per E-Mail anfordern" in reader.get(url).content.decode()
    assert mail.outbox == []  # asking is not sending (mail scanners open links)
    reader.post(url)
    (message,) = mail.outbox
    assert message.to == ["leser@example.org"]
    assert "Täglicher Überblick" in message.body
    assert "noch nicht bestätigt" in message.body
    assert "keine IP-Adresse" in message.body
    assert re.search(r"http://testserver/newsletter/abmelden/[\w-]+/", message.body)


def test_site_search_finds_an_edition_only_once_it_was_sent(newsletter, daily, client):
    edition = edition_make(
        index=newsletter,
        newsletter_list=daily,
        title="Walrossbericht Ausgabe",
        intro="<p>Hallo.</p>",
    )

    # Published and waiting for its send time: its page answers 404, so search must not list it.
    assert client.get(edition.url).status_code == 404
    assert edition.title not in [
        hit["title"] for hit in client.get("/suche/", {"q": "Walrossbericht"}).context["hits"]
    ]

    edition_send_run(send_id=edition_send_start(edition=edition).pk)

    hits = client.get("/suche/", {"q": "Walrossbericht"}).context["hits"]
    assert edition.title in [hit["title"] for hit in hits]


def test_the_pages_api_lists_an_edition_only_once_it_was_sent(newsletter, daily, client):
    edition = edition_make(
        index=newsletter,
        newsletter_list=daily,
        title="Ausgabe im Wartestand",
        intro="<p>Hallo.</p>",
    )

    def listed():
        answer = client.get("/api/v1/pages/", {"type": "newsletter.NewsletterEdition"})
        assert answer.status_code == 200
        return [item["id"] for item in answer.json()["items"]]

    assert listed() == []
    assert client.get(f"/api/v1/pages/{edition.pk}/").status_code == 404
    edition_send_run(send_id=edition_send_start(edition=edition).pk)
    assert listed() == [edition.pk]
