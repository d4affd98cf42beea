"""Reads of published articles, shared by pages, feeds, sitemaps and the related block."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Count,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page

from kryptowelt.core.selectors import public_only
from kryptowelt.news.models import ArticleAuthor, ArticlePage, Author, SectionPage, Topic

LISTING_RENDITION = "fill-640x360|format-webp|webpquality-75"


def article_list(*, section=None, tag=None, author=None) -> QuerySet[ArticlePage]:
    """Published, public articles, newest first, with what listing cards render prefetched.

    Evaluate with `with_sections()` when cards show their section."""
    articles = public_only(ArticlePage.objects.live())
    if section is not None:
        articles = articles.child_of(section)
    if tag is not None:
        articles = articles.filter(tags=tag)
    if author is not None:
        articles = articles.filter(article_authors__author=author)
    if tag is not None or author is not None:
        # Only the joins of these filters can repeat a row. DISTINCT over every column
        # otherwise keeps PostgreSQL from reading the newest rows off the date index: a
        # section page sorted and counted all its articles (100,000: ~0.3 s a page).
        articles = articles.distinct()
    return (
        articles.order_by("-first_published_at", "-pk")
        .defer_streamfields()
        .select_related("hero_image")
        .prefetch_related("hero_image__renditions")
    )


class ParentPath(Func):
    """The treebeard path of a page's parent, written exactly as the index of news migration
    0009 has it (the step length as a literal: a bound parameter would not match the index)."""

    template = f"SUBSTR(%(expressions)s, 1, LENGTH(%(expressions)s) - {Page.steplen})"
    output_field = CharField()


def article_ids(*, section) -> QuerySet[int]:
    """Ids of the section's published, public articles, newest first.

    Read from the page table alone, off the index of news migration 0009: a section page
    counts and pages through these ids without reading article rows (a deep page of a
    section with 45,000 articles had PostgreSQL join and sort all of them), and only the
    ids of the page shown become articles (`articles_in_order`)."""
    pages = public_only(Page.objects.live()).filter(
        content_type=ContentType.objects.get_for_model(ArticlePage)
    )
    return (
        pages.alias(parent_path=ParentPath("path"))
        .filter(parent_path=section.path)
        .order_by("-first_published_at", "-id")
        .values_list("id", flat=True)
    )


def articles_in_order(ids) -> list[ArticlePage]:
    """The listing cards' articles (as `article_list`) for `ids`, in that order."""
    ids = list(ids)
    found = {article.pk: article for article in article_list().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def article_feed_list(**filters) -> QuerySet[ArticlePage]:
    """Like article_list, plus the authors and tags that feeds print for every item."""
    return (
        article_list(**filters)
        .select_related("social_image")
        .prefetch_related(
            "tags",
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
            ),
        )
    )


def with_sections(articles) -> list[ArticlePage]:
    """Evaluate `articles` and give each its section without a query per article."""
    articles = list(articles)
    if not articles:
        return articles
    steplen = ArticlePage.steplen
    parent_paths = {article.path[:-steplen] for article in articles}
    sections = {page.path: page for page in SectionPage.objects.filter(path__in=parent_paths)}
    for article in articles:
        # Pre-fill the cached_property, so templates never trigger get_parent().
        article.__dict__["section"] = sections.get(article.path[:-steplen])
    return articles


def article_recent_list(*, hours: int) -> QuerySet[ArticlePage]:
    since = timezone.now() - timezone.timedelta(hours=hours)
    return article_list().filter(first_published_at__gte=since)


def home_page_content(*, home, per_section: int = 4) -> dict:
    """Lead story and the newest articles of every section, in few queries."""
    sections = list(SectionPage.objects.live().public().child_of(home).order_by("path"))
    lead = None
    if home.lead_article_id:
        lead = next(iter(with_sections(article_list().filter(pk=home.lead_article_id))), None)
    latest = with_sections(article_list()[:7])
    if lead is None and latest:
        lead = latest[0]
    latest = [a for a in latest if lead is None or a.pk != lead.pk][:6]
    # Each article appears once on the page: section blocks skip what is shown above.
    shown = {a.pk for a in latest} | ({lead.pk} if lead else set())
    section_blocks = []
    for section in sections:
        items = list(article_list(section=section).exclude(pk__in=shown)[:per_section])
        if items:
            section_blocks.append({"section": section, "articles": items})
    return {
        "lead_article": lead,
        "latest_articles": latest,
        "section_blocks": section_blocks,
        "sections": sections,
    }


def topic_list() -> QuerySet[Topic]:
    """Topics with at least one published article, by name, with their article counts."""
    live_ids = ArticlePage.objects.live().public().values("pk")
    return (
        Topic.objects.with_pages()
        .annotate(
            article_count=Count(
                "tagged_articles", filter=Q(tagged_articles__content_object_id__in=live_ids)
            )
        )
        .filter(article_count__gt=0)
        .order_by("name")
    )


def author_list() -> QuerySet[Author]:
    """Authors with the number of their published articles, by name."""
    live_ids = ArticlePage.objects.live().public().values("pk")
    counts = (
        ArticleAuthor.objects.filter(author=OuterRef("pk"), page_id__in=live_ids)
        .values("author")
        .annotate(count=Count("page", distinct=True))
        .values("count")
    )
    return (
        Author.objects.select_related("photo")
        .annotate(article_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0))
        .order_by("name")
    )


def sections_for_new_article(*, user) -> list[SectionPage]:
    """The sections, in menu order, in which `user` may start an article."""
    sections = SectionPage.objects.live().order_by("path")
    return [
        section
        for section in sections
        if section.permissions_for_user(user).can_add_subpage()
        and ArticlePage in section.specific_class.allowed_subpage_models()
    ]
