"""Reads for guides: the guide list, a guide's chapters and a chapter's navigation."""

from kryptowelt.guides.models import ChapterPage, GuidePage


def guide_list(*, index) -> list[GuidePage]:
    """Live guides below `index` in tree order, each with its number of live chapters."""
    guides = list(GuidePage.objects.live().public().child_of(index).order_by("path"))
    for guide in guides:
        guide.chapter_count = len(guide_chapters(guide=guide))
    return guides


def guide_chapters(*, guide: GuidePage) -> list[ChapterPage]:
    """The live chapters of `guide`, in the order editors gave them in the page tree."""
    return list(
        ChapterPage.objects.live()
        .public()
        .child_of(guide)
        .order_by("path")
        .only("title", "slug", "url_path", "path", "depth", "teaser")
    )


def chapter_navigation(*, chapter: ChapterPage) -> dict:
    """Previous and next chapter, the table of contents and the reader's progress."""
    guide = chapter.guide
    chapters = guide_chapters(guide=guide) if guide is not None else []
    position = next((i for i, item in enumerate(chapters) if item.pk == chapter.pk), None)
    if position is None:  # a draft previewed before it is live: show it after the others
        chapters.append(chapter)
        position = len(chapters) - 1
    total = len(chapters)
    toc = [
        {
            "number": number,
            "title": item.title,
            "url": item.url,
            "current": index == position,
            "done": index < position,
        }
        for number, (index, item) in enumerate(enumerate(chapters), start=1)
    ]
    return {
        "guide": guide,
        "toc": toc,
        "chapter_number": position + 1,
        "chapter_total": total,
        "progress_percent": round(100 * (position + 1) / total) if total else 100,
        "previous_chapter": chapters[position - 1] if position > 0 else None,
        "next_chapter": chapters[position + 1] if position + 1 < total else None,
    }
