from django.conf import settings
from django.shortcuts import get_object_or_404, render

from kryptowelt.core.models import paginate
from kryptowelt.news.models import Author, Topic
from kryptowelt.news.selectors import article_list, with_sections


def tag_detail(request, slug):
    tag = get_object_or_404(Topic, slug=slug)
    articles = article_list(tag=tag)
    if not articles.exists():
        # A tag without published articles is not a page readers should land on.
        return render(request, "404.html", status=404)
    page = paginate(request, articles, settings.KRYPTOWELT_ARTICLES_PER_PAGE)
    page.object_list = with_sections(page.object_list)
    return render(
        request,
        "news/tag_page.html",
        {
            "tag": tag,
            "articles": page,
            "page_title": f"Thema: {tag.name}",
        },
    )


def author_detail(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    page = paginate(request, article_list(author=author), settings.KRYPTOWELT_ARTICLES_PER_PAGE)
    page.object_list = with_sections(page.object_list)
    return render(
        request,
        "news/author_page.html",
        {
            "author": author,
            "articles": page,
            "page_title": author.name,
        },
    )


def news_sitemap(request):
    """Google News sitemap: articles of the last 48 hours."""
    from kryptowelt.news.selectors import article_recent_list

    return render(
        request,
        "news/news_sitemap.xml",
        {
            "articles": article_recent_list(hours=48)[:1000],
            "publication_name": settings.KRYPTOWELT_PUBLISHER_NAME,
        },
        content_type="application/xml; charset=utf-8",
    )
