"""Errors as RFC 7807 problem documents (`application/problem+json`) with a German `detail`,
built with Wagtail's API v3 helper, and the handlers that turn every error of a request
(invalid parameters, unknown resources, our own German errors) into one."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError
from wagtail.api.v3.errors import PROBLEM_JSON, problem_response

logger = logging.getLogger("kryptowelt.api")

TITLES = {
    400: "Ungültige Anfrage",
    404: "Nicht gefunden",
    405: "Methode nicht erlaubt",
    422: "Ungültige Parameter",
    429: "Zu viele Anfragen",
    500: "Interner Fehler",
}
# Where a problem type is explained: the docs page, served by the API itself.
TYPE_URI = "/api/v1/docs/#fehler-{status}"


class ProblemError(Schema):
    loc: list[str | int]
    type: str
    msg: str


class Problem(Schema):
    """An RFC 7807 problem document."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemError] | None = None


class ApiError(HttpError):
    """An error a view raises on purpose, with the German text readers of the answer see."""


class FormInvalid(Exception):
    """A reader's input failed the same form the page uses; answered with its messages."""

    def __init__(self, form):
        super().__init__("form invalid")
        self.form = form


def problem(
    status: int, detail: str, *, errors: list[dict] | None = None, headers: dict | None = None
) -> HttpResponse:
    response = problem_response(
        status=status,
        title=TITLES.get(status, "Fehler"),
        detail=detail,
        errors=errors,
        type_uri=TYPE_URI.format(status=status),
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# --- validation errors in German ------------------------------------------------------------
_MESSAGES = {
    "missing": "fehlt",
    "int_parsing": "ist keine ganze Zahl",
    "int_type": "ist keine ganze Zahl",
    "int_from_float": "ist keine ganze Zahl",
    "float_parsing": "ist keine Zahl",
    "bool_parsing": "ist kein Wahrheitswert (true oder false)",
    "greater_than_equal": "muss mindestens {ge} sein",
    "greater_than": "muss größer als {gt} sein",
    "less_than_equal": "darf höchstens {le} sein",
    "less_than": "muss kleiner als {lt} sein",
    "string_too_long": "darf höchstens {max_length} Zeichen lang sein",
    "string_too_short": "muss mindestens {min_length} Zeichen lang sein",
    "string_pattern_mismatch": "hat nicht das erwartete Format",
    "literal_error": "erlaubt sind: {expected}",
    "enum": "erlaubt sind: {expected}",
    "date_parsing": "ist kein gültiges Datum (JJJJ-MM-TT)",
    "date_from_datetime_parsing": "ist kein gültiges Datum (JJJJ-MM-TT)",
    "date_from_datetime_inexact": "ist kein gültiges Datum (JJJJ-MM-TT)",
    "date_type": "ist kein gültiges Datum (JJJJ-MM-TT)",
    "list_type": "ist keine Liste",
}


def _value(value) -> str:
    """A bound or choice in a message: 0.0 → "0", 1000000.0 → "1000000", 0.5 → "0.5"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(" or ", " oder ")


def _german(error: dict[str, Any]) -> str:
    template = _MESSAGES.get(error.get("type", ""), "ist ungültig")
    context = {key: _value(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return "ist ungültig"


def _name(loc) -> str:
    parts = [str(part) for part in loc if part not in ("query", "path", "body", "header")]
    return ".".join(parts) or "Anfrage"


def validation_problem(raw_errors: list[dict[str, Any]]) -> HttpResponse:
    errors = []
    for error in raw_errors:
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        errors.append({"loc": loc, "type": str(error.get("type", "")), "msg": _german(error)})
    detail = "; ".join(f"„{_name(e['loc'])}“ {e['msg']}" for e in errors[:5])
    return problem(
        422, f"Ungültige Angabe: {detail}." if detail else "Ungültige Angabe.", errors=errors
    )


def form_problem(form) -> HttpResponse:
    """A form's errors (German, the same the page shows), as a 422 problem."""
    errors = [
        {
            "loc": ["query", field] if field != "__all__" else ["query"],
            "type": "form",
            "msg": str(message),
        }
        for field, messages in form.errors.items()
        for message in messages
    ]
    detail = " ".join(str(message) for messages in form.errors.values() for message in messages)
    return problem(422, detail or "Ungültige Angabe.", errors=errors)


def register_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def _ninja_validation(request, exc: NinjaValidationError):
        return validation_problem(list(exc.errors))

    @api.exception_handler(PydanticValidationError)
    def _pydantic_validation(request, exc: PydanticValidationError):
        return validation_problem(list(exc.errors()))

    @api.exception_handler(FormInvalid)
    def _form_invalid(request, exc: FormInvalid):
        return form_problem(exc.form)

    @api.exception_handler(Http404)
    def _not_found(request, exc: Http404):
        message = str(exc)
        if not message or message.startswith("No "):  # Django's English default
            message = "Diese Ressource gibt es nicht."
        return problem(404, message)

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        return problem(exc.status_code, str(exc))

    @api.exception_handler(Exception)
    def _unexpected(request, exc: Exception):
        logger.exception("API-Fehler bei %s", request.path)
        return problem(500, "Ein interner Fehler ist aufgetreten. Bitte später erneut versuchen.")


__all__ = ["PROBLEM_JSON", "ApiError", "FormInvalid", "Problem", "problem", "register_handlers"]
