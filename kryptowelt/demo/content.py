"""Reading the demo content files (see docs/content-format.md)."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"


class ContentError(ValueError):
    pass


@dataclass
class MarkdownDocument:
    slug: str
    meta: dict
    body: str
    path: Path


def read_markdown_document(path: Path) -> MarkdownDocument:
    """A Markdown file with TOML front matter between `+++` lines."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("+++"):
        raise ContentError(f"{path.name}: die Datei beginnt nicht mit +++ (Front Matter)")
    try:
        _, front, body = text.split("+++", 2)
        meta = tomllib.loads(front)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ContentError(f"{path.name}: Front Matter nicht lesbar ({exc})") from exc
    return MarkdownDocument(slug=path.stem, meta=meta, body=body.strip(), path=path)


def read_markdown_folder(folder: Path) -> list[MarkdownDocument]:
    return [read_markdown_document(path) for path in sorted(folder.glob("*.md"))]


def read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)
