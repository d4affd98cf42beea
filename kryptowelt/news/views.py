"""What the newsroom's pages show (registered with kryptowelt.core.page_views), and the
Google News sitemap."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from kryptowelt.core.page_views import page_context, route_view
from kryptowelt.core.pagination import paginate
from kryptowelt.news.models import Author, AuthorIndexPage, SectionPage, Topic, TopicIndexPage
from kryptowelt.news.selectors import (
    article_ids,
    article_list,
    article_recent_list,
    articles_in_order,
    author_list,
    topic_list,
    with_sections,
)


@page_context(SectionPage)
def section_context(page, request) -> dict:
    listing = paginate(request, article_ids(section=page), settings.KRYPTOWELT_ARTICLES_PER_PAGE)
    listing.object_list = articles_in_order(listing.object_list)
    return {"articles": listing}


@route_view(TopicIndexPage, "index")
def topic_index(request, page):
    return page.render(
        request,
        template="news/topic_index_page.html",
        context_overrides={"topics": topic_list()},
    )


@route_view(TopicIndexPage, "topic")
def topic_detail(request, page, slug):
    tag = get_object_or_404(Topic, slug=slug)
    articles = article_list(tag=tag)
    if not articles.exists():
        # A tag without published articles is not a page readers should land on.
        raise Http404("Zu diesem Thema gibt es keine Artikel.")
    listing = paginate(request, articles, settings.KRYPTOWELT_ARTICLES_PER_PAGE)
    listing.object_list = with_sections(listing.object_list)
    return page.render(
        request,
        template="news/tag_page.html",
        context_overrides={
            "tag": tag,
            "articles": listing,
            "page_title": f"Thema: {tag.name}",
            "meta_description": tag.description
            or f"Alle Artikel von Kryptowelt zum Thema {tag.name}.",
            "extra_crumbs": [(tag.name, request.path)],
        },
    )


@route_view(AuthorIndexPage, "index")
def author_index(request, page):
    return page.render(
        request,
        template="news/author_index_page.html",
        context_overrides={"authors": author_list()},
    )


@route_view(AuthorIndexPage, "author")
def author_detail(request, page, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    listing = paginate(request, article_list(author=author), settings.KRYPTOWELT_ARTICLES_PER_PAGE)
    listing.object_list = with_sections(listing.object_list)
    return page.render(
        request,
        template="news/author_page.html",
        context_overrides={
            "author": author,
            "articles": listing,
            "page_title": author.name,
            "meta_description": author.bio or f"Artikel von {author.name} bei Kryptowelt.",
            "extra_crumbs": [(author.name, request.path)],
        },
    )


def news_sitemap(request):
    """Google News sitemap: articles of the last 48 hours."""
    return render(
        request,
        "news/news_sitemap.xml",
        {
            "articles": article_recent_list(hours=48)[:1000],
            "publication_name": settings.KRYPTOWELT_PUBLISHER_NAME,
        },
        content_type="application/xml; charset=utf-8",
    )
