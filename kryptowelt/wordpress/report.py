"""The import report: counts per kind and outcome, and the details an editor must see
(what was removed where, what was skipped or failed and why, notes on statuses), as
German text for the command and as JSON for the admin (no Django).

Detail lists are capped (MAX_DETAILS each) so that the report of a very large site stays
small; the counts are always complete."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_DETAILS = 2000
KINDS = {
    "post": "Beiträge",
    "page": "Seiten",
    "attachment": "Medien",
    "author": "Autor/innen",
    "category": "Kategorien",
    "tag": "Schlagwörter",
}
OUTCOMES = {
    "created": "neu",
    "updated": "aktualisiert",
    "unchanged": "unverändert",
    "skipped": "übersprungen",
    "failed": "fehlgeschlagen",
}
DRY_OUTCOMES = {**OUTCOMES, "created": "würde neu", "updated": "würde aktualisiert"}
LIST_TITLES = {
    "failed": "Fehlgeschlagen (nicht importiert)",
    "skipped": "Übersprungen",
    "removed": "Entfernte Inhalte",
    "shortcodes": "Entfernte Shortcodes",
    "links": "Interne Links ohne Ziel",
    "media": "Fehlende Mediendateien",
    "notes": "Hinweise für die Redaktion",
}


@dataclass
class Report:
    dry_run: bool = False
    source: str = ""
    counts: dict[str, Counter] = field(default_factory=dict)
    redirects: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    shortcodes: Counter = field(default_factory=Counter)
    links: Counter = field(default_factory=Counter)
    comments: Counter = field(default_factory=Counter)
    other_types: Counter = field(default_factory=Counter)
    block_types: Counter = field(default_factory=Counter)
    details: dict[str, list[dict]] = field(default_factory=dict)
    omitted: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    # --- recording ---------------------------------------------------------------------
    def count(self, kind: str, outcome: str, number: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += number

    def detail(self, section: str, *, item: str, text: str) -> None:
        entries = self.details.setdefault(section, [])
        if len(entries) >= MAX_DETAILS:
            self.omitted[section] += 1
            return
        entries.append({"item": item, "text": text})

    # --- totals ------------------------------------------------------------------------
    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    @property
    def removed_total(self) -> int:
        return sum(self.removed.values()) + sum(self.shortcodes.values())

    # --- serialising -------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "source": self.source,
            "counts": {kind: dict(counter) for kind, counter in self.counts.items()},
            "redirects": dict(self.redirects),
            "removed": dict(self.removed),
            "shortcodes": dict(self.shortcodes),
            "links": dict(self.links),
            "comments": dict(self.comments),
            "other_types": dict(self.other_types),
            "block_types": dict(self.block_types),
            "details": self.details,
            "omitted": dict(self.omitted),
            "seconds": round(self.seconds, 1),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        report = cls(dry_run=data.get("dry_run", False), source=data.get("source", ""))
        report.counts = {kind: Counter(values) for kind, values in data.get("counts", {}).items()}
        for name in (
            "redirects", "removed", "shortcodes", "links", "comments", "other_types",
            "block_types", "omitted",
        ):  # fmt: skip
            setattr(report, name, Counter(data.get(name, {})))
        report.details = data.get("details", {})
        report.seconds = data.get("seconds", 0.0)
        return report

    # --- German text -------------------------------------------------------------------
    def table_rows(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows of the summary table (kinds × outcomes)."""
        outcomes = DRY_OUTCOMES if self.dry_run else OUTCOMES
        header = ["", *outcomes.values()]
        rows = []
        for kind, label in KINDS.items():
            counter = self.counts.get(kind, Counter())
            rows.append([label, *(_number(counter[outcome]) for outcome in outcomes)])
        return header, rows

    def summary_lines(self) -> list[str]:
        header, rows = self.table_rows()
        widths = [max(len(row[index]) for row in [header, *rows]) for index in range(len(header))]
        lines = [
            "  ".join(
                cell.ljust(widths[index]) if index == 0 else cell.rjust(widths[index])
                for index, cell in enumerate(row)
            )
            for row in [header, *rows]
        ]
        redirects = self.redirects
        lines.append(
            f"Weiterleitungen (301): {_number(redirects['created'])} neu, "
            f"{_number(redirects['updated'])} geändert, {_number(redirects['unchanged'])} "
            f"unverändert, {_number(redirects['conflict'])} Konflikte"
        )
        removed = ", ".join(f"{what} {_number(n)}" for what, n in self.removed.most_common())
        lines.append(
            f"Entfernte Inhalte: {_number(sum(self.removed.values()))}"
            + (f" ({removed})" if removed else "")
        )
        shortcodes = ", ".join(
            f"[{name}] {_number(n)}" for name, n in self.shortcodes.most_common()
        )
        lines.append(
            f"Entfernte Shortcodes: {_number(sum(self.shortcodes.values()))}"
            + (f" ({shortcodes})" if shortcodes else "")
        )
        links = self.links
        lines.append(
            f"Interne Links: {_number(links['internal'])}, davon {_number(links['rewritten'])} "
            f"auf die neuen Seiten umgeschrieben, {_number(links['unresolved'])} ohne Ziel, "
            f"{_number(links['unpublished'])} auf nicht übernommene Beiträge"
        )
        comments = self.comments
        lines.append(
            f"Kommentare (nicht importiert): {_number(sum(comments.values()))}, davon "
            f"{_number(comments['approved'])} freigegeben"
        )
        if self.other_types:
            other = ", ".join(
                f"{name} {_number(n)}" for name, n in sorted(self.other_types.items())
            )
            lines.append(f"Andere Inhaltstypen (nicht importiert): {other}")
        if self.seconds:
            lines.append(f"Dauer: {_decimal(self.seconds)} s")
        return lines

    def detail_lines(self) -> list[str]:
        lines = []
        for section, title in LIST_TITLES.items():
            entries = self.details.get(section) or []
            if not entries:
                continue
            lines.append(f"{title} ({_number(len(entries) + self.omitted[section])}):")
            lines += [f"  {entry['item']}: {entry['text']}" for entry in entries]
            if self.omitted[section]:
                lines.append(f"  … und {_number(self.omitted[section])} weitere")
        return lines


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
