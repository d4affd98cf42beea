"""What the guides' pages show (registered with kryptowelt.core.page_views)."""

from kryptowelt.core.page_views import page_context
from kryptowelt.guides.models import ChapterPage, GuideIndexPage, GuidePage
from kryptowelt.guides.selectors import chapter_navigation, guide_chapters, guide_list


@page_context(GuideIndexPage)
def guide_index_context(page, request) -> dict:
    return {"guides": guide_list(index=page)}


@page_context(GuidePage)
def guide_context(page, request) -> dict:
    return {"chapters": guide_chapters(guide=page)}


@page_context(ChapterPage)
def chapter_context(page, request) -> dict:
    return chapter_navigation(chapter=page)
