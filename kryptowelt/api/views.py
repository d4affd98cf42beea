"""The API's documentation page (/api/v1/docs/): German, rendered on our own server from the
OpenAPI document, with no script and nothing loaded from another host (CSP `script-src
'self'`; Ninja's default page would load Swagger UI from a CDN)."""

from __future__ import annotations

from django.shortcuts import render

from kryptowelt.api.api import openapi_document
from kryptowelt.api.pagination import MAX_LIMIT

METHODS = ("get",)
TYPE_NAMES = {
    "integer": "ganze Zahl",
    "number": "Zahl",
    "string": "Text",
    "boolean": "ja/nein (true/false)",
    "array": "Liste",
}
# Example addresses the page links to (relative to /api/v1/).
EXAMPLES = {
    "index": [""],
    "articles_list": [
        "articles/?limit=5",
        "articles/?section=neuigkeiten&since=2025-01-01",
        "articles/?q=Börsen&limit=3",
    ],
    "articles_most_read": ["articles/most-read/?period=7d"],
    "sections_list": ["sections/"],
    "topics_list": ["topics/"],
    "authors_list": ["authors/"],
    "pages_list": ["pages/?type=news.ArticlePage&limit=5"],
    "lexicon_list": ["lexicon/?letter=B"],
    "lexicon_detail": ["lexicon/blockchain/"],
    "guides_list": ["guides/"],
    "coins_list": ["coins/?limit=10"],
    "coins_detail": ["coins/bitcoin/"],
    "coins_history": [
        "coins/bitcoin/history/?range=1m",
        "coins/bitcoin/history/?range=max&format=csv",
    ],
    "providers_list": ["providers/?kind=krypto-boersen", "providers/?gewicht_kosten=80"],
    "providers_detail": ["providers/bitvavo/"],
    "score_method": ["score-method/"],
    "calculators_sparplan": [
        "calculators/sparplan/?coin=bitcoin&betrag=100&start=2020-01-01",
        "calculators/sparplan/?coin=bitcoin&betrag=25&intervall=woechentlich"
        "&start=2022-01-01&ende=2024-12-31&gebuehr=1.5",
    ],
    "calculators_profit": [
        "calculators/profit/?kaufkurs=20000&verkaufskurs=25000&menge=0.5"
        "&gebuehr_kauf_prozent=1.5&kaufdatum=2024-01-10&verkaufsdatum=2025-02-01",
    ],
    "calculators_costs": [
        "calculators/costs/?betrag=1000",
        "calculators/costs/?betrag=50&intervall=monatlich&dauer=12&coin=ethereum",
    ],
}


def _plain(number) -> str:
    """A bound as the page shows it: 1000000.0 → "1.000.000", 0.5 → "0,5"."""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if isinstance(number, int):
        return f"{number:,}".replace(",", ".")
    return str(number).replace(".", ",")


def _type(schema: dict) -> str:
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        schema = {**schema, **(options[0] if options else {})}
    if "enum" in schema or "const" in schema:
        values = schema.get("enum") or [schema["const"]]
        return "eins von: " + ", ".join(str(v) for v in values)
    if schema.get("format") == "date":
        return "Datum (JJJJ-MM-TT)"
    name = TYPE_NAMES.get(schema.get("type", ""), schema.get("type", "Text"))
    limits = []
    if "minimum" in schema and "maximum" in schema:
        limits.append(f"{_plain(schema['minimum'])}–{_plain(schema['maximum'])}")
    elif "minimum" in schema:
        limits.append(f"ab {_plain(schema['minimum'])}")
    elif "exclusiveMinimum" in schema:
        limits.append(f"über {_plain(schema['exclusiveMinimum'])}")
    if "maximum" in schema and "minimum" not in schema:
        limits.append(f"bis {_plain(schema['maximum'])}")
    if "maxLength" in schema:
        limits.append(f"höchstens {schema['maxLength']} Zeichen")
    return name + (f" ({', '.join(limits)})" if limits else "")


def _operations(document: dict) -> list[dict]:
    groups: dict[str, list] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            params = []
            for param in operation.get("parameters", []):
                schema = param.get("schema", {})
                params.append(
                    {
                        "name": param["name"],
                        "where": "Pfad" if param["in"] == "path" else "Abfrage",
                        "required": param.get("required", False),
                        "type": _type(schema),
                        "description": param.get("description") or schema.get("description", ""),
                    }
                )
            tag = (operation.get("tags") or ["Weitere"])[0]
            groups.setdefault(tag, []).append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "params": params,
                    "responses": [
                        (status, response.get("description", ""))
                        for status, response in operation.get("responses", {}).items()
                    ],
                    "examples": [
                        f"/api/v1/{example}"
                        for example in EXAMPLES.get(operation["operationId"], [])
                    ],
                }
            )
    return [{"tag": tag, "operations": operations} for tag, operations in groups.items()]


def docs(request):
    document = openapi_document()
    return render(
        request,
        "api/docs.html",
        {
            "page_title": "Offene Daten: die Kryptowelt-API",
            "meta_description": "Die lesende JSON-API von Kryptowelt mit OpenAPI-Beschreibung: "
            "Artikel, Lexikon, Ratgeber, Kurse, Anbieter mit Quellen.",
            "info": document["info"],
            "groups": _operations(document),
            "max_limit": MAX_LIMIT,
        },
    )
