"""Every mail of the newsletter: German, plain text and HTML, with List-Unsubscribe and
List-Unsubscribe-Post (RFC 8058) pointing at the reader's own signed link.

An edition is rendered once per send with placeholders for the personal links, which are
filled in per recipient (20,000 recipients must not mean 20,000 template renders)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from kryptowelt.core.site_urls import absolute_url, site_root
from kryptowelt.newsletter.links import (
    TOKEN_SLOT,
    confirm_url,
    newsletter_url,
    unsubscribe_url,
    url_pattern,
)
from kryptowelt.newsletter.tokens import DATA, UNSUBSCRIBE, address_token

UNSUBSCRIBE_PLACEHOLDER = "%%KW_ABMELDEN%%"
DATA_PLACEHOLDER = "%%KW_MEINE_DATEN%%"
_RELATIVE_HREF = re.compile(r'(href|src)="/(?!/)')


def unsubscribe_headers(address: str, *, url: str = "") -> dict[str, str]:
    targets = [f"<{url or unsubscribe_url(address)}>"]
    mailto = settings.KRYPTOWELT_NEWSLETTER_UNSUBSCRIBE_MAILTO
    if mailto:
        targets.append(f"<mailto:{mailto}?subject=unsubscribe>")
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _message(
    *, address: str, subject: str, text: str, html: str, connection=None, unsubscribe: str = ""
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.KRYPTOWELT_NEWSLETTER_FROM,
        to=[address],
        headers=unsubscribe_headers(address, url=unsubscribe),
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def _render(name: str, context: dict) -> tuple[str, str]:
    context = {"site_url": site_root(), "newsletter_url": newsletter_url(), **context}
    text = render_to_string(f"newsletter/mail/{name}.txt", context)
    html = render_to_string(f"newsletter/mail/{name}.html", context)
    return text, absolute_links(html)


def absolute_links(html: str) -> str:
    """Links of rich text and templates made absolute: a mail has no site to be relative to."""
    return _RELATIVE_HREF.sub(lambda m: f'{m.group(1)}="{site_root()}/', html)


def confirmation_message(*, subscriber) -> EmailMultiAlternatives:
    address = subscriber.address
    context = {
        "lists": list(subscriber.lists.all()),
        "confirm_url": confirm_url(address),
        "hours": settings.KRYPTOWELT_NEWSLETTER_CONFIRM_HOURS,
        "unsubscribe_url": unsubscribe_url(address),
    }
    text, html = _render("confirm", context)
    subject = "Bitte bestätigen Sie Ihre Anmeldung zum Kryptowelt-Newsletter"
    return _message(address=address, subject=subject, text=text, html=html)


def data_message(*, subscriber) -> EmailMultiAlternatives:
    address = subscriber.address
    context = {
        "subscriber": subscriber,
        "lists": list(subscriber.lists.all()),
        "unsubscribe_url": unsubscribe_url(address),
    }
    text, html = _render("data", context)
    subject = "Ihre beim Kryptowelt-Newsletter gespeicherten Daten"
    return _message(address=address, subject=subject, text=text, html=html)


@dataclass(frozen=True)
class EditionMail:
    """An edition rendered once; `message_for` fills in one recipient's links."""

    subject: str
    text: str
    html: str
    # The personal links' URLs with TOKEN_SLOT (resolved once, not per recipient).
    unsubscribe_pattern: str = field(default_factory=lambda: url_pattern("unsubscribe"))
    data_pattern: str = field(default_factory=lambda: url_pattern("data"))

    def message_for(self, address: str, *, connection=None) -> EmailMultiAlternatives:
        unsubscribe = self.unsubscribe_pattern.replace(
            TOKEN_SLOT, address_token(address=address, purpose=UNSUBSCRIBE)
        )
        data = self.data_pattern.replace(TOKEN_SLOT, address_token(address=address, purpose=DATA))
        return _message(
            address=address,
            unsubscribe=unsubscribe,
            subject=self.subject,
            text=self.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe).replace(
                DATA_PLACEHOLDER, data
            ),
            html=self.html.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe).replace(
                DATA_PLACEHOLDER, data
            ),
            connection=connection,
        )


def edition_mail(*, edition, articles: list, market_moves: list[dict], subject: str) -> EditionMail:
    context = {
        "edition": edition,
        "subject": subject,
        "articles": [
            {
                "title": article.title,
                "teaser": article.teaser,
                "url": absolute_url(article.url),
                "section": getattr(article.section, "title", "") if article.section else "",
            }
            for article in articles
        ],
        "market_moves": market_moves,
        "web_url": absolute_url(edition.url or ""),
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "data_url": DATA_PLACEHOLDER,
    }
    text, html = _render("edition", context)
    return EditionMail(subject=subject, text=text, html=html)


def intro_text(html: str) -> str:
    return strip_tags(html).strip()
