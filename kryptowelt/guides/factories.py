"""Builders for tests: a guide with chapters."""

from kryptowelt.core.markdown import markdown_to_blocks
from kryptowelt.core.text import german_slugify
from kryptowelt.guides.models import ChapterPage, GuidePage
from kryptowelt.guides.services import guide_index_get_or_create


def guide_make(
    *,
    home,
    title: str = "Testratgeber",
    slug: str = "testratgeber",
    chapters: tuple[str, ...] = ("Erstes Kapitel", "Zweites Kapitel", "Drittes Kapitel"),
    faq: tuple[tuple[str, str], ...] = (("Ist das ein Test?", "Ja, das ist ein Test."),),
) -> GuidePage:
    index = guide_index_get_or_create(home=home)
    guide = GuidePage(
        title=title,
        slug=slug,
        teaser=f"Der {title} in Kapiteln.",
        intro="<p>Eine Einleitung.</p>",
        faq=[{"type": "faq", "value": {"question": q, "answer": f"<p>{a}</p>"}} for q, a in faq],
    )
    index.add_child(instance=guide)
    guide.save_revision().publish()
    for number, chapter_title in enumerate(chapters, start=1):
        chapter = ChapterPage(
            title=chapter_title,
            slug=german_slugify(chapter_title),
            teaser=f"Kapitel {number} des Ratgebers.",
            body=markdown_to_blocks(f"## Abschnitt {number}\n\nText von Kapitel {number}."),
        )
        guide.add_child(instance=chapter)
        chapter.save_revision().publish()
    return guide
