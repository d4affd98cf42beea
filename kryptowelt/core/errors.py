"""The German error pages, in the site's look, wherever a reader can meet one.

- Django's handlers: 400 (a 413 when the request body is too large), 403, the CSRF failure,
  404 and 500 (`kryptowelt/urls.py`, `CSRF_FAILURE_VIEW`); the 429 of the POST limit is
  `core.security.too_many_requests`.
- nginx answers some errors itself, often when the app cannot (413, 414, 431, 429 of its
  request limits, 502, 503, 504, unknown host names): `kryptowelt error_pages` writes the
  same pages with the stylesheet and logo inlined into the static folder at deploy time, and
  deploy/nginx.conf serves them from disk (`error_page`).

One text per status (ERRORS) and one template (errors/page.html) that needs neither the
database nor a request, so a page renders whatever broke.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import render
from django.template import Context, loader

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorText:
    title: str
    paragraphs: tuple[str, ...]


ERRORS: dict[int, ErrorText] = {
    400: ErrorText(
        "Ungültige Anfrage",
        (
            "Ihr Browser hat eine Anfrage geschickt, die wir nicht verarbeiten können.",
            "Bitte prüfen Sie die Adresse oder laden Sie die Seite neu.",
        ),
    ),
    403: ErrorText(
        "Zugriff verweigert",
        ("Diese Seite oder Aktion ist nicht öffentlich zugänglich.",),
    ),
    404: ErrorText(
        "Seite nicht gefunden",
        (
            "Die Seite, die Sie aufrufen wollten, gibt es nicht (mehr). Vielleicht hat sich "
            "die Adresse geändert oder es hat sich ein Tippfehler eingeschlichen.",
        ),
    ),
    413: ErrorText(
        "Zu viele Daten gesendet",
        (
            "Die gesendete Datei oder das Formular ist größer, als wir annehmen. Dateien "
            "für den Steuerrechner dürfen höchstens 10 MB groß sein.",
            "Bitte teilen Sie große Dateien auf oder lassen Sie nicht benötigte Zeilen weg.",
        ),
    ),
    414: ErrorText(
        "Adresse zu lang",
        (
            "Die aufgerufene Adresse ist länger, als wir verarbeiten. Meist steckt ein "
            "fehlerhafter Link dahinter.",
            "Bitte rufen Sie die Seite über die Startseite oder die Suche auf.",
        ),
    ),
    429: ErrorText(
        "Zu viele Anfragen",
        (
            "Von Ihrem Anschluss kamen in kurzer Zeit sehr viele Anfragen. Zum Schutz der "
            "Seite nehmen wir gerade keine weiteren an.",
            "Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.",
        ),
    ),
    431: ErrorText(
        "Anfrage zu groß",
        (
            "Ihr Browser hat zu viele oder zu große Angaben mitgeschickt, meist Cookies.",
            "Bitte löschen Sie die Cookies für diese Website und laden Sie die Seite neu.",
        ),
    ),
    500: ErrorText(
        "Da ist etwas schiefgegangen",
        (
            "Beim Laden dieser Seite ist ein technischer Fehler aufgetreten. Der Fehler "
            "wurde automatisch für unser Technik-Team protokolliert.",
            "Bitte versuchen Sie es in ein paar Minuten noch einmal.",
        ),
    ),
    502: ErrorText(
        "Seite gerade nicht erreichbar",
        (
            "Unser Server antwortet gerade nicht. Meist ist das nach kurzer Zeit behoben.",
            "Bitte versuchen Sie es in ein paar Minuten noch einmal.",
        ),
    ),
    503: ErrorText(
        "Vorübergehend nicht verfügbar",
        (
            "Die Website ist gerade überlastet oder wird gewartet.",
            "Bitte versuchen Sie es in ein paar Minuten noch einmal.",
        ),
    ),
    504: ErrorText(
        "Antwort dauert zu lange",
        (
            "Unser Server hat nicht rechtzeitig geantwortet.",
            "Bitte laden Sie die Seite in ein paar Minuten neu.",
        ),
    ),
}

CSRF_FAILED = ErrorText(
    "Formular abgelaufen",
    (
        "Aus Sicherheitsgründen konnten wir das Formular nicht annehmen. Das passiert, wenn "
        "die Seite sehr lange geöffnet war oder Ihr Browser Cookies für diese Website "
        "blockiert (Formulare wie der Steuerrechner brauchen ein Sicherheits-Cookie).",
        "Bitte laden Sie die Seite neu und senden Sie das Formular noch einmal.",
    ),
)

# The last resort: no template, no static files.
_PLAIN = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{title} | Kryptowelt'
    "</title></head><body><h1>{title}</h1><p>{text}</p>"
    '<p><a href="/">Zur Startseite</a></p></body></html>'
)


def error_page_html(
    status: int, *, text: ErrorText | None = None, inline_css: str = "", logo_src: str = ""
) -> str:
    """The page for `status`. `inline_css`/`logo_src` make it self-contained (for nginx);
    otherwise it links the site's stylesheet and logo."""
    text = text or ERRORS[status]
    context = {
        "status": status,
        "title": text.title,
        "paragraphs": text.paragraphs,
        "inline_css": inline_css,
        "logo_src": logo_src,
        "offer_search": status in (404, 410),
    }
    return loader.get_template("errors/page.html").template.render(Context(context))


def error_response(status: int, *, text: ErrorText | None = None) -> HttpResponse:
    text = text or ERRORS[status]
    try:
        html = error_page_html(status, text=text)
    except Exception:  # noqa: BLE001 - whatever broke must not break the error page
        logger.exception("Fehlerseite %s konnte nicht gerendert werden", status)
        html = _PLAIN.format(title=text.title, text=" ".join(text.paragraphs))
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return error_response(413)
    return error_response(400)


def permission_denied(request, exception=None):
    return error_response(403)


def csrf_failure(request, reason=""):
    return error_response(403, text=CSRF_FAILED)


def page_not_found(request, exception=None):
    # With the menu and the search form: the page is in the site's frame (base.html).
    return render(request, "404.html", status=404)


def server_error(request):
    return error_response(500)
