"""Writes for guides: reading a guide folder and creating its pages (demo, imports)."""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.guides.models import ChapterPage, GuideIndexPage, GuidePage

CONTENT_DIR = Path(__file__).resolve().parent / "content"
GUIDES_INTRO = (
    "Schritt für Schritt statt Stückwerk: Unsere Ratgeber führen in aufeinander aufbauenden "
    "Kapiteln durch ein Thema – vom ersten Verständnis bis zur praktischen Umsetzung, ohne "
    "Anlageempfehlungen und mit Quellen für jede Regel."
)

_CHAPTER_FILE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")


class GuideFolderError(ValueError):
    """A guide folder breaks its format; the message says where, in German."""


@dataclass
class ChapterEntry:
    slug: str
    title: str
    teaser: str
    body: str


@dataclass
class GuideEntry:
    slug: str
    title: str
    teaser: str
    intro: str
    faq: list[tuple[str, str]]
    chapters: list[ChapterEntry]


def _markdown_html(text: str) -> str:
    """Rich-text HTML for a short Markdown text (paragraphs and lists only)."""
    return "".join(
        block["value"] for block in markdown_to_blocks(text) if block["type"] == "paragraph"
    )


def guide_read(*, folder: Path) -> GuideEntry:
    """One guide folder (guide.toml and NN-<slug>.md chapters), checked."""
    try:
        meta = tomllib.loads((folder / "guide.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GuideFolderError(f"{folder.name}/guide.toml: nicht lesbar ({exc})") from exc
    for key in ("title", "slug", "teaser"):
        if not str(meta.get(key, "")).strip():
            raise GuideFolderError(f"{folder.name}/guide.toml: Feld {key!r} fehlt")
    if meta["slug"] != folder.name:
        raise GuideFolderError(f"{folder.name}/guide.toml: slug muss dem Ordnernamen entsprechen")
    chapters = []
    for path in sorted(folder.glob("*.md")):
        match = _CHAPTER_FILE.match(path.name)
        if match is None:
            raise GuideFolderError(
                f"{folder.name}/{path.name}: Dateiname nicht im Format NN-name.md"
            )
        text = path.read_text(encoding="utf-8")
        try:
            _, front, body = text.split("+++", 2)
            chapter_meta = tomllib.loads(front)
        except (ValueError, tomllib.TOMLDecodeError) as exc:
            raise GuideFolderError(f"{folder.name}/{path.name}: Front Matter nicht lesbar") from exc
        if not chapter_meta.get("title"):
            raise GuideFolderError(f"{folder.name}/{path.name}: title fehlt")
        chapters.append(
            ChapterEntry(
                slug=match.group(2),
                title=chapter_meta["title"].strip(),
                teaser=str(chapter_meta.get("teaser", "")).strip(),
                body=body.strip(),
            )
        )
    if not chapters:
        raise GuideFolderError(f"{folder.name}: keine Kapitel gefunden")
    faq = []
    for item in meta.get("faq", []):
        question, answer = (
            str(item.get("question", "")).strip(),
            str(item.get("answer", "")).strip(),
        )
        if not question or not answer:
            raise GuideFolderError(f"{folder.name}/guide.toml: FAQ-Eintrag ohne Frage oder Antwort")
        faq.append((question, answer))
    return GuideEntry(
        slug=meta["slug"],
        title=meta["title"].strip(),
        teaser=" ".join(meta["teaser"].split()),
        intro=str(meta.get("intro", "")).strip(),
        faq=faq,
        chapters=chapters,
    )


def guides_read(*, content_dir: Path = CONTENT_DIR) -> list[GuideEntry]:
    return [
        guide_read(folder=folder) for folder in sorted(content_dir.iterdir()) if folder.is_dir()
    ]


def guide_index_get_or_create(*, home) -> GuideIndexPage:
    index = GuideIndexPage.objects.child_of(home).first()
    if index is None:
        index = GuideIndexPage(
            title="Ratgeber",
            slug="ratgeber",
            show_in_menus=True,
            intro=GUIDES_INTRO,
            seo_title="Krypto-Ratgeber: Schritt für Schritt erklärt",
            search_description=(
                "Ratgeber in Kapiteln: Krypto für Einsteiger und Krypto-Steuern verstehen – "
                "verständlich, mit Quellen und ohne Anlageempfehlung."
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


@transaction.atomic
def guide_create(*, index: GuideIndexPage, entry: GuideEntry) -> tuple[GuidePage, int]:
    """Create the guide if it is missing and any of its chapters that are missing.

    Returns the guide page and the number of chapters created; existing pages are left
    untouched so editors' changes survive a second run."""
    guide = GuidePage.objects.child_of(index).filter(slug=entry.slug).first()
    if guide is None:
        guide = GuidePage(
            title=entry.title,
            slug=entry.slug,
            teaser=entry.teaser,
            intro=_markdown_html(entry.intro),
            faq=[
                {"type": "faq", "value": {"question": q, "answer": _markdown_html(a)}}
                for q, a in entry.faq
            ],
        )
        index.add_child(instance=guide)
        guide.save_revision().publish()
    existing = set(ChapterPage.objects.child_of(guide).values_list("slug", flat=True))
    created = 0
    for chapter in entry.chapters:
        if chapter.slug in existing:
            continue
        page = ChapterPage(
            title=chapter.title,
            slug=chapter.slug,
            teaser=chapter.teaser,
            body=markdown_to_blocks(chapter.body),
        )
        guide.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    return guide, created
