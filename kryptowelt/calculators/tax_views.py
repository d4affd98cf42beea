"""/rechner/steuer/: the tax calculator. Uploads (several files at once), the form, our
sample, or the data the result page handed back are read in memory only, computed with the
reader's settings and answered as the result page, CSV report, print view, documentation pack
(ZIP) or "Steuerfrei ab" calendar (ICS). Nothing is stored; responses are never cached.

The route handles CSRF itself: the in-memory upload handler must be in place before Django
reads the request body (Django's documented pattern for per-view upload handlers).

A little over 400 lines on purpose: the request's settings, inputs and five outputs belong to
one flow, and the helpers that read the handed-back file list are only used by it."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from kryptowelt.calculators import presenters, selectors
from kryptowelt.calculators.models import CalculatorIndexPage
from kryptowelt.calculators.rendering import private, render_calculator
from kryptowelt.calculators.tax.records import TaxInputError
from kryptowelt.calculators.tax.report import tax_report
from kryptowelt.calculators.tax.rules import ENTRY_KINDS, KIND_LABELS
from kryptowelt.calculators.tax.settings import (
    METHOD_NOTES,
    METHODS,
    PRICE_MODES,
    PRICE_NOTES,
    REWARD_NOTES,
    REWARD_TIMINGS,
    TaxSettings,
)
from kryptowelt.calculators.tax_docs.ics import tax_free_calendar
from kryptowelt.calculators.tax_docs.method import RULES
from kryptowelt.calculators.tax_docs.pack import UploadedFile, documentation_zip
from kryptowelt.calculators.tax_export import report_csv
from kryptowelt.calculators.tax_import.decoding import MAX_UPLOAD_BYTES
from kryptowelt.calculators.tax_import.errors import TaxImportError
from kryptowelt.calculators.tax_import.formats.own import (
    OWN_COLUMNS,
    parse_table,
    transactions_to_csv,
)
from kryptowelt.calculators.tax_import.merge import MAX_FILES, merged_from, uploads_read
from kryptowelt.calculators.tax_import.parsing import parse_number
from kryptowelt.calculators.tax_import.reader import parse_upload
from kryptowelt.calculators.uploads import InMemoryLimitedUploadHandler
from kryptowelt.core.page_views import route_view

SAMPLE_FILE = Path(__file__).parent / "samples" / "kryptowelt-beispiel.csv"
MAX_TOTAL_UPLOAD_BYTES = 2 * MAX_UPLOAD_BYTES
FORM_ROWS = 8
FORM_ROWS_MAX = 200
FORM_FIELDS = ("datum", "typ", "coin", "menge", "preis", "gebuehr", "ziel_coin", "ziel_menge")
OUTPUTS = {"html", "csv", "druck", "zip", "ics"}
# The result page hands the transactions back to the browser (hidden field) for the download
# buttons, up to this size; larger uploads are simply uploaded again with those buttons.
ROUND_TRIP_MAX_CHARS = 1_500_000
SHOWN_PER_YEAR = 300
PRINT_PER_YEAR = 5000
SHOWN_LOTS = 200


def _tax_context(**extra) -> dict:
    context = {
        "page_title": "Krypto-Steuerrechner",
        "meta_description": "Steuer auf Krypto-Gewinne in Deutschland berechnen: Exporte von "
        "Bitpanda, Binance, Kraken, Coinbase, BISON, Trade Republic, CoinTracking und Blockpit; "
        "FIFO, Haltefrist, Freigrenzen, Verlustvortrag, Staking. Ohne Speicherung Ihrer Daten.",
        "kinds": {key: KIND_LABELS[key] for key in ENTRY_KINDS},
        "own_columns": OWN_COLUMNS[1:],
        "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "max_files": MAX_FILES,
        "form_rows": _blank_rows(FORM_ROWS),
        "row_count": FORM_ROWS,
        "choices": {
            "methods": [(k, v, METHOD_NOTES[k]) for k, v in METHODS.items()],
            "prices": [(k, v, PRICE_NOTES[k]) for k, v in PRICE_MODES.items()],
            "rewards": [(k, v, REWARD_NOTES[k]) for k, v in REWARD_TIMINGS.items()],
        },
        "values": _setting_values(TaxSettings()),
        "rules": RULES,
    }
    context.update(extra)
    return context


def _blank_rows(count: int) -> list[dict]:
    return [{"index": i, **dict.fromkeys(FORM_FIELDS, "")} for i in range(count)]


def _posted_rows(post) -> list[dict]:
    try:
        count = int(post.get("zeilen", FORM_ROWS))
    except ValueError:
        count = FORM_ROWS
    count = max(1, min(count, FORM_ROWS_MAX))
    rows = []
    for i in range(count):
        values = {field: post.get(f"{field}_{i}", "")[:100] for field in FORM_FIELDS}
        rows.append({"index": i, **values})
    return rows


def _setting_values(settings: TaxSettings) -> dict[str, str]:
    """The settings as the form's field values (also the hidden fields of the downloads)."""
    return {
        "methode": settings.method,
        "kurse": settings.prices,
        "rewards": settings.rewards,
        "ruecktrag": "ja" if settings.carry_back else "nein",
        "verlustvortrag": (
            format(settings.carryforward.normalize(), "f") if settings.carryforward else ""
        ),
        "verlustvortrag_jahr": str(settings.carryforward_year or ""),
    }


def _settings(post) -> TaxSettings:
    """The reader's settings; raises `TaxImportError` with a German message per bad field."""
    errors = []
    method = post.get("methode", "fifo")
    prices = post.get("kurse", "exakt")
    rewards = post.get("rewards", "gutschrift")
    if method not in METHODS:
        errors.append("Bitte wählen Sie FIFO oder LIFO als Verbrauchsfolge.")
    if prices not in PRICE_MODES:
        errors.append("Bitte wählen Sie transaktionsgenaue Kurse oder Tageskurse.")
    if rewards not in REWARD_TIMINGS:
        errors.append("Bitte wählen Sie, wann Rewards als zugeflossen gelten.")
    carryforward, year = Decimal(0), None
    text = post.get("verlustvortrag", "").strip()[:30]
    if text:
        try:
            carryforward = abs(parse_number(text))
        except ValueError as exc:
            errors.append(f"Verlustvortrag: {exc}.")
        year_text = post.get("verlustvortrag_jahr", "").strip()[:4]
        if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
            errors.append(
                "Bitte geben Sie das Jahr an, zu dessen Ende der Verlustvortrag "
                "festgestellt wurde (z. B. 2023)."
            )
        else:
            year = int(year_text)
        if carryforward > Decimal("1e12"):
            errors.append("Der Verlustvortrag ist unrealistisch groß.")
    if errors:
        raise TaxImportError(errors)
    return TaxSettings(
        method=method,
        prices=prices,
        rewards=rewards,
        carry_back=post.get("ruecktrag", "ja") != "nein",
        carryforward=carryforward,
        carryforward_year=year,
    )


def _render_tax(request, page, status=200, **context):
    context.setdefault("values", _setting_values(TaxSettings()))
    template = "calculators/steuer.html"
    response = render_calculator(request, page, template, _tax_context(**context), status)
    # The form carries a CSRF token for this reader, a result the reader's data: no shared
    # cache may keep either.
    return private(response) if request.method == "POST" else _no_store(response)


def _no_store(response):
    response["Cache-Control"] = "no-store, private"
    return response


@route_view(CalculatorIndexPage, "steuer")
@csrf_exempt
def steuer(request, page):
    """GET shows the forms; POST calculates. The upload handlers must be replaced before
    Django reads the request body, so CSRF is checked in the inner view."""
    if request.method == "POST":
        handler = InMemoryLimitedUploadHandler(
            request, limit=MAX_UPLOAD_BYTES, total_limit=MAX_TOTAL_UPLOAD_BYTES
        )
        request.upload_handlers = [handler]
        return _steuer_post(request, page, handler=handler)
    if request.method in ("GET", "HEAD"):
        return _steuer_get(request, page)
    return HttpResponseNotAllowed(["GET", "POST"])


@csrf_protect
def _steuer_get(request, page):
    return _render_tax(request, page)


@csrf_protect
def _steuer_post(request, page, *, handler):
    try:
        post, files = request.POST, request.FILES
    except (RequestDataTooBig, TooManyFieldsSent):
        return _render_tax(
            request,
            page,
            status=413,
            errors=["Die eingegebenen Daten sind zu umfangreich. Bitte laden Sie eine Datei hoch."],
        )
    if handler.too_large:
        return _render_tax(
            request,
            page,
            status=413,
            errors=[
                f"Die Datei ist größer als {MAX_UPLOAD_BYTES // (1024 * 1024)} MB "
                f"(alle Dateien zusammen höchstens {MAX_TOTAL_UPLOAD_BYTES // (1024 * 1024)} MB)."
            ],
        )
    rows = _posted_rows(post)
    if "mehr_zeilen" in post:
        rows += _blank_rows(min(10, FORM_ROWS_MAX - len(rows)))
        for i, row in enumerate(rows):
            row["index"] = i
        return _render_tax(request, page, form_rows=rows, row_count=len(rows), mode="formular")
    output = post.get("ausgabe", "html")
    output = output if output in OUTPUTS else "html"
    lookup = selectors.StoredPriceLookup()
    mode = "datei"
    settings = TaxSettings()
    try:
        settings = _settings(post)
        uploads = [f for f in files.getlist("datei") if f is not None]
        if "beispiel" in post:
            parsed = parse_upload(SAMPLE_FILE.read_bytes())
            merged = merged_from(parsed, settings=settings, price_lookup=lookup)
            source_label = "Beispieldatei von Kryptowelt"
            file_info = [
                replace(f, name="kryptowelt-beispiel.csv") for f in _file_info(merged.files)
            ]
        elif uploads:
            merged = uploads_read(
                [(upload.name or "Datei", upload.read()) for upload in uploads],
                settings=settings,
                price_lookup=lookup,
            )
            source_label = ", ".join(f"„{f.file}“" for f in merged.files)[:300]
            file_info = _file_info(merged.files)
        elif post.get("daten"):
            parsed = parse_upload(post["daten"].encode("utf-8"), price_lookup=lookup)
            merged = merged_from(parsed, settings=settings, price_lookup=lookup)
            source_label = post.get("quelle", "")[:300] or "Ihre Daten"
            file_info = _posted_file_info(post.get("dateien", "")) or _file_info(merged.files)
        else:
            mode = "formular"
            filled = [
                (row["index"] + 1, ["", *(row[f].strip() for f in FORM_FIELDS), ""])
                for row in rows
                if any(row[f].strip() for f in FORM_FIELDS if f != "typ")
            ]
            if not filled:
                raise TaxImportError(
                    ["Bitte laden Sie eine Datei hoch oder tragen Sie Transaktionen ein."]
                )
            merged = merged_from(parse_table(filled), settings=settings, price_lookup=lookup)
            source_label = "Eingabe im Formular"
            file_info = _file_info(merged.files)
        report = tax_report(
            transactions=merged.transactions, today=timezone.localdate(), settings=settings
        )
    except (TaxImportError, TaxInputError) as exc:
        return _render_tax(
            request,
            page,
            status=400,
            errors=exc.messages,
            form_rows=rows,
            row_count=len(rows),
            mode=mode,
            values={
                key: post.get(key, default)[:30]
                for key, default in _setting_values(TaxSettings()).items()
            },
        )
    return _answer(
        request, page, output, report, merged, file_info, source_label, rows, mode, lookup
    )


def _answer(request, page, output, report, merged, file_info, source_label, rows, mode, lookup):
    generated = timezone.localtime()
    span = _span(report)
    if output == "csv":
        return _download(
            report_csv(report), "text/csv; charset=utf-8", f"kryptowelt-steuer-{span}.csv"
        )
    if output == "ics":
        calendar = tax_free_calendar(report.lots, today=generated.date(), now=timezone.now())
        return _download(calendar, "text/calendar; charset=utf-8", "kryptowelt-steuerfrei-ab.ics")
    if output == "zip":
        pack = documentation_zip(
            report=report,
            transactions=merged.transactions,
            files=file_info,
            generated=generated.replace(tzinfo=None),
            now_utc=timezone.now(),
        )
        return _download(pack, "application/zip", f"kryptowelt-steuer-dokumentation-{span}.zip")
    # About 150 characters a row: beyond this many rows the hand-back would be too large.
    small = len(merged.transactions) <= ROUND_TRIP_MAX_CHARS // 100
    round_trip = transactions_to_csv(merged.transactions) if small else ""
    limit = PRINT_PER_YEAR if output == "druck" else SHOWN_PER_YEAR
    context = {
        "report": report,
        "years": presenters.tax_years(report, limit=limit),
        "files": file_info,
        "files_json": json.dumps([_file_dict(f) for f in file_info]),
        "notes": merged.notes,
        "valued_rows": merged.valued_rows,
        "valued_symbols": sorted(lookup.used),
        "settings_used": report.settings.described(),
        "values": _setting_values(report.settings),
        "lots": report.lots[:SHOWN_LOTS],
        "hidden_lots": max(len(report.lots) - SHOWN_LOTS, 0),
        "source_label": source_label,
        "round_trip": round_trip if len(round_trip) <= ROUND_TRIP_MAX_CHARS else "",
        "form_rows": rows,
        "row_count": len(rows),
        "mode": mode,
        "generated": generated,
        "today": generated.date(),
    }
    if output == "druck":
        template = "calculators/steuer_druck.html"
        return private(render_calculator(request, page, template, _tax_context(**context)))
    return _render_tax(request, page, **context)


def _download(content, content_type: str, filename: str):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private(response)


def _span(report) -> str:
    years = [y.year for y in report.years]
    if not years:
        return "ohne-jahr"
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])


def _file_info(parsed_files) -> list[UploadedFile]:
    return [
        UploadedFile(
            name=p.file or {"formular": "Formular"}.get(p.format, "Ihre Daten"),
            format_label=p.format_label,
            rows=p.rows,
            transactions=len(p.transactions),
            skipped=dict(p.skipped),
            valued_rows=p.valued_rows,
        )
        for p in parsed_files
    ]


def _file_dict(info: UploadedFile) -> dict:
    return {
        "name": info.name,
        "format": info.format_label,
        "rows": info.rows,
        "transactions": info.transactions,
        "skipped": info.skipped,
        "valued": info.valued_rows,
    }


def _posted_file_info(text: str) -> list[UploadedFile]:
    """The file list the result page handed back; anything malformed is dropped."""
    try:
        data = json.loads(text[:20_000]) if text else []
    except ValueError:
        return []
    result = []
    for item in data[:MAX_FILES] if isinstance(data, list) else []:
        if not isinstance(item, dict):
            continue
        skipped = item.get("skipped") if isinstance(item.get("skipped"), dict) else {}
        try:
            result.append(
                UploadedFile(
                    name=str(item.get("name", ""))[:120],
                    format_label=str(item.get("format", ""))[:80],
                    rows=int(item.get("rows", 0)),
                    transactions=int(item.get("transactions", 0)),
                    skipped={str(k)[:120]: int(v) for k, v in list(skipped.items())[:30]},
                    valued_rows=int(item.get("valued", 0)),
                )
            )
        except (TypeError, ValueError):
            continue
    return result


@require_GET
@cache_control(public=True, max_age=86400)
def steuer_beispiel(request):
    response = HttpResponse(SAMPLE_FILE.read_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kryptowelt-beispiel.csv"'
    return response
