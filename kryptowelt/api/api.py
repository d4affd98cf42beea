"""The NinjaAPI of /api/v1/: its routers, error handlers and OpenAPI 3.1 document.

The document is committed (kryptowelt/api/openapi.json; `make api-schema` writes it anew) and
a test compares it with the generated one, so every change of the public interface shows up
as a diff in review."""

from __future__ import annotations

import copy

from ninja import NinjaAPI, Router
from ninja.renderers import JSONRenderer

from kryptowelt.api.links import api_url
from kryptowelt.api.problems import PROBLEM_JSON, Problem, register_handlers
from kryptowelt.api.routers import (
    articles,
    calculators,
    knowledge,
    markets,
    newsroom,
    pages,
    providers,
)
from kryptowelt.api.schemas import Index

VERSION = "1.0.0"
PATH_PREFIX = "/api/v1/"

DESCRIPTION = """Die offenen Daten von Kryptowelt: Artikel, Rubriken und Themen, das
Krypto-Lexikon, Ratgeber, Kurse mit Tagesschlusskursen, Anbieter mit jeder Angabe samt
Quelle und Prüfdatum, der Score mit seiner Methodik und die Rechner (Sparplan, Gewinn,
Kosten) mit denselben Prüfungen wie auf der Website.

- **Nur lesend**: GET, HEAD und OPTIONS; CORS für jede Herkunft.
- **Seiten**: `limit` (1–100) und `offset`; Antworten nennen `count`, `next` und `previous`.
- **Caching**: `ETag` und `Cache-Control`; mit `If-None-Match` antwortet die API `304`.
  Ergebnisse der Rechner hält kein Cache (`private, no-store`).
- **Fehler**: RFC 7807 (`application/problem+json`) mit deutschem `detail`.
- **Grenzen**: je Adresse 120 Anfragen pro Minute; darüber `429` mit `Retry-After`.

Dokumentation: /api/v1/docs/"""

ERROR_RESPONSES = {
    "304": {"description": "Nicht geändert (If-None-Match passt zum ETag)"},
    "400": {"description": "Ungültige Anfrage"},
    "404": {"description": "Nicht gefunden"},
    "422": {"description": "Ungültige Parameter (deutsche Meldung in `detail`)"},
    "429": {
        "description": "Zu viele Anfragen",
        "headers": {
            "Retry-After": {
                "description": "Sekunden bis zur nächsten erlaubten Anfrage",
                "schema": {"type": "integer"},
            }
        },
    },
}
SUCCESS_HEADERS = {
    "ETag": {"description": "Kennung dieser Antwort", "schema": {"type": "string"}},
    "Cache-Control": {
        "description": "Wie lange Caches die Antwort halten",
        "schema": {"type": "string"},
    },
}


class KryptoweltAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=PATH_PREFIX, path_params=path_params)
        return describe(schema)


def describe(schema: dict) -> dict:
    """What every operation shares: problem documents for errors, 304, ETag headers."""
    schema = dict(schema)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(components["Problem"].pop("$defs", {}))
    for operations in schema["paths"].values():
        for operation in operations.values():
            responses = _merged(operation.setdefault("responses", {}))
            operation["responses"] = responses
            ok = responses.get("200")
            if ok is not None:
                ok.setdefault("headers", {}).update(copy.deepcopy(SUCCESS_HEADERS))
            for status, response in ERROR_RESPONSES.items():
                if status in responses:
                    continue
                response = copy.deepcopy(response)
                if status != "304":
                    response["content"] = {
                        PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}
                    }
                responses[status] = response
    if not schema.get("servers"):
        schema.pop("servers", None)
    return schema


def _merged(responses: dict) -> dict:
    """Ninja keys responses by int, `openapi_extra` by str: one entry per status."""
    merged: dict[str, dict] = {}
    for status, response in sorted(responses.items(), key=lambda item: isinstance(item[0], str)):
        key = str(status)
        if key in merged:
            target = merged[key]
            for name, value in response.items():
                if isinstance(value, dict) and isinstance(target.get(name), dict):
                    target[name] = {**target[name], **value}
                else:
                    target[name] = value
        else:
            merged[key] = copy.deepcopy(response)
    return dict(sorted(merged.items()))


class CompactJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False, "separators": (",", ":")}


api = KryptoweltAPI(
    title="Kryptowelt API",
    version=VERSION,
    description=DESCRIPTION,
    urls_namespace="api_v1",
    openapi_url="/openapi.json",
    docs_url=None,
    renderer=CompactJSON(),
    openapi_extra={
        "info": {
            "contact": {"name": "Kryptowelt-Redaktion", "url": "/ueber-uns/"},
            "license": {"name": "Nutzung mit Quellenangabe „Kryptowelt“, siehe /api/v1/docs/"},
        }
    },
)
register_handlers(api)

index_router = Router(tags=["Überblick"])

ENDPOINTS = {
    "articles": "articles/",
    "most_read": "articles/most-read/",
    "sections": "sections/",
    "topics": "topics/",
    "authors": "authors/",
    "pages": "pages/",
    "lexicon": "lexicon/",
    "guides": "guides/",
    "coins": "coins/",
    "providers": "providers/",
    "score_method": "score-method/",
}


@index_router.get("/", response=Index, summary="Überblick", operation_id="index")
def index(request):
    """Was die API bietet, mit den Adressen aller Listen."""
    return {
        "name": "Kryptowelt API",
        "version": VERSION,
        "docs": api_url("docs/"),
        "openapi": api_url("openapi.json"),
        "license": "Nutzung mit Quellenangabe „Kryptowelt“; Kurse: CoinGecko.",
        "endpoints": {name: api_url(path) for name, path in ENDPOINTS.items()},
    }


api.add_router("", index_router)
for module in (articles, newsroom, pages, knowledge, markets, providers, calculators):
    api.add_router("", module.router)


def openapi_document() -> dict:
    """The OpenAPI document as /api/v1/openapi.json serves it."""
    return api.get_openapi_schema()
