"""The mail to ADMINS for an unhandled error, in German: a short subject, plain text with
the request and the traceback, the same as HTML. Django's own handler writes English and, with
`include_html`, its whole debug page (settings, request headers, cookies); this one sends
only what an operator needs to find the error: method, path (without the query), time,
request id (the same as in nginx's and the app's logs) and the traceback.

Imported by the logging configuration before the apps are loaded: no models here."""

from __future__ import annotations

import logging
import traceback

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.log import AdminEmailHandler as DjangoAdminEmailHandler

from kryptowelt.ops.logs import current_request_id

HTML = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: sans-serif">
<h1 style="font-size: 1.2em">{title}</h1>
<table>{rows}</table>
<h2 style="font-size: 1em">Traceback</h2>
<pre style="white-space: pre-wrap">{trace}</pre>
</body></html>
"""


class AdminEmailHandler(DjangoAdminEmailHandler):
    def emit(self, record: logging.LogRecord) -> None:
        request = getattr(record, "request", None)
        status = getattr(record, "status_code", None)
        if request is not None:
            what = f"{request.method} {request.path}"
            subject = f"Fehler {status or 500} auf {what}"
        else:
            what = ""
            subject = f"{record.levelname}: {record.getMessage()}"
        rows = [
            ("Website", settings.SITE_URL),
            ("Anfrage", what or "–"),
            ("Zeit", timezone.localtime().strftime("%d.%m.%Y %H:%M:%S %Z")),
            ("Request-ID", getattr(record, "request_id", None) or current_request_id()),
            ("Meldung", record.getMessage()),
        ]
        if record.exc_info:
            trace = "".join(traceback.format_exception(*record.exc_info))
        else:
            trace = "(kein Traceback)"
        intro = "Ein unerwarteter Fehler ist aufgetreten."
        text = "\n".join([intro, "", *(f"{label}: {value}" for label, value in rows), "", trace])
        html = HTML.format(
            title=escape(intro),
            rows="".join(
                f"<tr><th style='text-align: left'>{escape(label)}</th><td>{escape(value)}</td></tr>"
                for label, value in rows
            ),
            trace=escape(trace),
        )
        self.send_mail(self.format_subject(subject), text, html_message=html, fail_silently=True)
