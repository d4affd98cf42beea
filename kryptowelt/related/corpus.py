"""Reading labelled corpora in the 10kGNAD format (pure Python, no Django imports).

One document per line, no header, two fields `label;text`, `;` as separator and `'` as quote
character (Python's csv.QUOTE_MINIMAL, an embedded quote doubled). Every physical line is
parsed on its own, so a broken line (an unclosed quote, a missing field, bad UTF-8, a NUL
byte) is reported with its number and skipped without swallowing the lines after it.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

from kryptowelt.core.csv_limits import field_size_limit

# The default csv field limit (128 KiB) would reject long articles; 1 MB articles must pass.
MAX_FIELD_CHARS = 64 * 1024 * 1024

# The public data sets live outside the repository: $KRYPTOWELT_DATA_DIR, by default
# ../shared/data beside it. The labelled corpus is one file in there.
DATA_DIR_VARIABLE = "KRYPTOWELT_DATA_DIR"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CORPUS_IN_DATA_DIR = Path("10kgnad") / "train.csv"


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_VARIABLE) or DEFAULT_DATA_DIR)


def default_corpus_path() -> Path:
    """The labelled corpus in the data folder: $KRYPTOWELT_DATA_DIR/10kgnad/train.csv."""
    return data_dir() / CORPUS_IN_DATA_DIR


def corpus_missing_message(path: Path) -> str:
    """What a reader needs when the corpus is not there: the path, and the two ways to
    give another one."""
    return (
        f"Korpus nicht gefunden: {path} fehlt. Den Pfad mit --corpus DATEI angeben oder "
        f"{DATA_DIR_VARIABLE} auf den Datenordner setzen, der {CORPUS_IN_DATA_DIR} enthält "
        f"(ohne Angabe: ../shared/data neben dem Repository)."
    )


@dataclass
class Corpus:
    labels: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)


def _parse_line(line: str) -> list[str]:
    return next(csv.reader([line], delimiter=";", quotechar="'", strict=True))


def corpus_read(path: Path) -> Corpus:
    """All good documents of the file at `path`, and one German message per broken line."""
    with field_size_limit(MAX_FIELD_CHARS):
        return _corpus_read(path)


def _corpus_read(path: Path) -> Corpus:
    corpus = Corpus()
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                corpus.errors.append(f"Zeile {number}: kein gültiges UTF-8")
                continue
            if not line.strip():
                continue
            try:
                fields = _parse_line(line)
            except csv.Error as exc:
                corpus.errors.append(f"Zeile {number}: nicht lesbar ({exc})")
                continue
            if len(fields) != 2:
                corpus.errors.append(f"Zeile {number}: {len(fields)} Felder statt 2 (Label;Text)")
                continue
            label, text = fields[0].strip(), fields[1].strip()
            if not label:
                corpus.errors.append(f"Zeile {number}: Label fehlt")
                continue
            if not text:
                corpus.errors.append(f"Zeile {number}: Text fehlt")
                continue
            corpus.labels.append(label)
            corpus.texts.append(text)
            corpus.line_numbers.append(number)
    return corpus
