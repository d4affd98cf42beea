"""Request ids and log formats.

nginx gives every request an id (`$request_id`, sent as `X-Request-ID` and written to its
access log); `RequestIdMiddleware` takes it over (only `[A-Za-z0-9-]`, at most 64 characters;
anything else, or none, gets a new one), answers with it in `X-Request-ID` and keeps it in a
context variable while the request runs. `RequestIdFilter` puts it on every log record as
`request_id` ("-" outside a request), so a line in the app's log, an error mail and nginx's
access log line of the same request share it. `LOG_FORMAT=json` writes one JSON object per
line (`JsonFormatter`).

Imported by the logging configuration before the apps are loaded: no models here."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
VALID_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
NO_REQUEST = "-"

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "kryptowelt_request_id", default=NO_REQUEST
)


def current_request_id() -> str:
    return request_id_var.get()


def request_id_from(value: str) -> str:
    """The id a proxy sent, if it is one we accept; else a new one."""
    return value if VALID_ID.match(value or "") else uuid.uuid4().hex


class RequestIdMiddleware:
    """Outermost: everything logged while the request runs carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.META.get(META_KEY, ""))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` (the running request's id, or "-")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    and the traceback as `exception` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)
