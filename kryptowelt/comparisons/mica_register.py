"""ESMA's interim MiCA register of crypto-asset service providers (CASPS.csv): reading a
downloaded file and what it says about a provider's authorisation for readers in Germany.

Pure Python (no Django); `services.mica_register_import` stores the result. The expected
columns are documented in docs/comparisons.md. The file is read as UTF-8 (with or without
byte order mark), separated by commas or semicolons; a row that cannot be read reliably
(wrong number of fields, a date that is not a date, no authority or company) refuses the
whole file with its line number. Quirks the real register has (an LEI that is not 20
characters, no authorisation date) are imported and reported as warnings."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from kryptowelt.comparisons.facts import Fact

# The official file; `--quelle` of the import command can name another address.
REGISTER_URL = "https://www.esma.europa.eu/sites/default/files/2024-12/CASPS.csv"

# Column in the file -> attribute of RegisterRow. Matched without regard to case.
REQUIRED_COLUMNS = {
    "ae_competentauthority": "authority",
    "ae_homememberstate": "home_state",
    "ae_lei_name": "entity",
    "ae_lei": "lei",
    "ac_authorisationnotificationdate": "authorised_on",
    "ac_authorisationenddate": "ends_on",
    "ac_servicecode_cou": "passport",
}
OPTIONAL_COLUMNS = {
    "ae_commercial_name": "commercial_name",
    "ac_servicecode": "services",
    "ac_lastupdate": "last_update",
}
DATE_FIELDS = ("authorised_on", "ends_on", "last_update")
MAX_ERRORS_SHOWN = 20

COUNTRIES = {
    "AT": "Österreich",
    "BE": "Belgien",
    "BG": "Bulgarien",
    "CY": "Zypern",
    "CZ": "Tschechien",
    "DE": "Deutschland",
    "DK": "Dänemark",
    "EE": "Estland",
    "EL": "Griechenland",
    "ES": "Spanien",
    "FI": "Finnland",
    "FR": "Frankreich",
    "GR": "Griechenland",
    "HR": "Kroatien",
    "HU": "Ungarn",
    "IE": "Irland",
    "IS": "Island",
    "IT": "Italien",
    "LI": "Liechtenstein",
    "LT": "Litauen",
    "LU": "Luxemburg",
    "LV": "Lettland",
    "MT": "Malta",
    "NL": "Niederlande",
    "NO": "Norwegen",
    "PL": "Polen",
    "PT": "Portugal",
    "RO": "Rumänien",
    "SE": "Schweden",
    "SI": "Slowenien",
    "SK": "Slowakei",
}
_LEI = re.compile(r"^[A-Z0-9]{20}$")
_COUNTRY_CODE = re.compile(r"\b[A-Z]{2}\b")
_ABBREVIATION = re.compile(r"\(([^()]+)\)\s*$")


class RegisterError(ValueError):
    """The file cannot be imported; `errors` are German messages with line numbers."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        text = "\n".join(shown) + (f"\n… und {more} weitere Fehler." if more > 0 else "")
        super().__init__(text)


@dataclass(frozen=True)
class RegisterRow:
    line: int
    authority: str
    home_state: str
    entity: str
    lei: str
    authorised_on: dt.date | None
    ends_on: dt.date | None
    passport: tuple[str, ...]
    commercial_name: str = ""
    services: str = ""
    last_update: dt.date | None = None

    @property
    def serves_germany(self) -> bool:
        return self.home_state == "DE" or "DE" in self.passport

    def active_on(self, day: dt.date) -> bool:
        return self.ends_on is None or self.ends_on > day


@dataclass(frozen=True)
class RegisterFile:
    rows: list[RegisterRow]
    warnings: list[str]

    @property
    def newest_update(self) -> dt.date | None:
        dates = [row.last_update for row in self.rows if row.last_update]
        return max(dates) if dates else None


def parse_date(raw: str) -> dt.date | None:
    """dd/mm/yyyy (as ESMA writes), dd.mm.yyyy or yyyy-mm-dd; empty -> None."""
    text = (raw or "").strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def normalise_lei(raw: str) -> str:
    return re.sub(r"\s+", "", raw or "").upper().rstrip(".")


def register_read(data: bytes) -> RegisterFile:
    """All rows of a register file, or RegisterError listing every row that cannot be read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegisterError(
            [f"Die Datei ist nicht in UTF-8 gespeichert (Byte {exc.start + 1})."]
        ) from exc
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise RegisterError(["Die Datei ist leer."])
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 0
    rows: list[RegisterRow] = []
    errors: list[str] = []
    warnings: list[str] = []
    line = 0
    for record in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header, header_line = [cell.strip().lower() for cell in record], start
            missing = [name for name in REQUIRED_COLUMNS if name not in header]
            if missing:
                raise RegisterError(
                    [f"Zeile {start}: Spalten fehlen: {', '.join(missing)} (Kopfzeile erwartet)."]
                )
            continue
        row, row_errors, row_warnings = _row(header, record, start)
        errors.extend(row_errors)
        warnings.extend(row_warnings)
        if row is not None:
            rows.append(row)
    if header is None:
        raise RegisterError(["Die Datei ist leer."])
    if errors:
        raise RegisterError(errors)
    if not rows:
        raise RegisterError([f"Zeile {header_line}: Nach der Kopfzeile folgen keine Einträge."])
    return RegisterFile(rows=rows, warnings=warnings)


def _row(header: list[str], record: list[str], line: int):
    filled = len(record)
    while filled and not record[filled - 1].strip():
        filled -= 1
    if filled > len(header):
        return None, [f"Zeile {line}: {filled} Felder, die Kopfzeile hat {len(header)}."], []
    cells = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
    values: dict = {}
    for column, attribute in {**REQUIRED_COLUMNS, **OPTIONAL_COLUMNS}.items():
        values[attribute] = cells.get(column, "")
    errors, warnings = [], []
    for attribute in DATE_FIELDS:
        try:
            values[attribute] = parse_date(values[attribute])
        except ValueError:
            errors.append(
                f"Zeile {line}: „{values[attribute][:40]}“ ist kein Datum (erwartet TT/MM/JJJJ)."
            )
            values[attribute] = None
    if not values["authority"]:
        errors.append(f"Zeile {line}: Die Aufsichtsbehörde (ae_competentAuthority) fehlt.")
    if not values["entity"]:
        errors.append(f"Zeile {line}: Der Name der Gesellschaft (ae_lei_name) fehlt.")
    home_state = values["home_state"].upper()
    if not re.fullmatch(r"[A-Z]{2}", home_state):
        errors.append(
            f"Zeile {line}: „{values['home_state'][:20]}“ ist kein Ländercode "
            "(ae_homeMemberState, z. B. DE)."
        )
    lei = normalise_lei(values["lei"])
    if not _LEI.match(lei):
        warnings.append(
            f"Zeile {line}: LEI „{values['lei'][:30]}“ von {values['entity'][:80]} hat nicht "
            "20 Zeichen; diese Zeile kann keinem Anbieter zugeordnet werden."
        )
    if values["authorised_on"] is None and not errors:
        warnings.append(f"Zeile {line}: {values['entity'][:80]} ohne Zulassungsdatum.")
    if errors:
        return None, errors, warnings
    row = RegisterRow(
        line=line,
        authority=values["authority"],
        home_state=home_state,
        entity=values["entity"],
        lei=lei,
        authorised_on=values["authorised_on"],
        ends_on=values["ends_on"],
        passport=tuple(dict.fromkeys(_COUNTRY_CODE.findall(values["passport"].upper()))),
        commercial_name=values["commercial_name"],
        services=values["services"],
        last_update=values["last_update"],
    )
    return row, [], warnings


def authority_label(authority: str, home_state: str) -> str:
    """ "Federal Financial Supervisory Authority (BaFin)", "DE" -> "BaFin (Deutschland)"."""
    match = _ABBREVIATION.search(authority)
    name = match.group(1).strip() if match else authority.strip()
    return f"{name} ({COUNTRIES.get(home_state, home_state)})"


@dataclass(frozen=True)
class MicaStatus:
    """What a register snapshot says about one provider (all its LEIs) for Germany."""

    authorised: bool
    authorities: tuple[str, ...]
    entities: tuple[str, ...]
    authorised_on: dt.date | None
    snapshot: dt.date
    leis: tuple[str, ...]
    reason: str = ""

    @property
    def summary(self) -> str:
        """A short German line for change reports."""
        if not self.authorised:
            return f"keine MiCA-Zulassung für Deutschland ({self.reason})"
        since = f" seit {self.authorised_on:%d.%m.%Y}" if self.authorised_on else ""
        return f"zugelassen durch {', '.join(self.authorities)}{since}"

    def comparable(self) -> tuple:
        return (self.authorised, self.authorities, self.authorised_on)


def mica_status(*, rows: list[RegisterRow], leis: list[str], snapshot: dt.date) -> MicaStatus:
    """Authorised for readers in Germany if a row of one of the LEIs is in force on the
    snapshot date and its home state is Germany or Germany is among its passport countries."""
    own = [row for row in rows if row.lei in set(leis)]
    active = [row for row in own if row.active_on(snapshot)]
    for_germany = [row for row in active if row.serves_germany]
    reason = ""
    if not own:
        reason = "nicht im Register eingetragen"
    elif not active:
        ended = max(row.ends_on for row in own if row.ends_on)
        reason = f"Zulassung beendet am {ended:%d.%m.%Y}"
    elif not for_germany:
        reason = "eingetragen, aber ohne grenzüberschreitende Tätigkeit in Deutschland"
    dates = [row.authorised_on for row in for_germany if row.authorised_on]
    return MicaStatus(
        authorised=bool(for_germany),
        authorities=tuple(
            dict.fromkeys(authority_label(row.authority, row.home_state) for row in for_germany)
        ),
        entities=tuple(dict.fromkeys(row.entity for row in (for_germany or own))),
        authorised_on=min(dates) if dates else None,
        snapshot=snapshot,
        leis=tuple(leis),
        reason=reason,
    )


def status_fact(status: MicaStatus, *, source: str) -> Fact:
    """The provider's "MiCA-Zulassung" figure as the register states it."""
    entities = ", ".join(status.entities)
    note = f"Gesellschaft laut Register: {entities}." if entities else ""
    if not status.authorised:
        note = f"Laut ESMA-Register {status.reason}. {note}".strip()
    return Fact(
        key="mica",
        flag=status.authorised,
        text="; ".join(status.authorities),
        source=source,
        checked=status.snapshot,
        effective=status.authorised_on,
        note=note,
        basis=(
            f"ESMA-Register der Kryptowerte-Dienstleister (CASPS.csv), Stand "
            f"{status.snapshot:%d.%m.%Y}; LEI {', '.join(status.leis)}"
        ),
    )
