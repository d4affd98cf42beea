"""JSON-LD for articles (schema.org NewsArticle), as Google's and others' crawlers expect."""

from django.conf import settings
from django.templatetags.static import static

from kryptowelt.core.site_urls import absolute_url

FALLBACK_IMAGE = "img/fallback-article.jpg"


def news_article_json_ld(article, request) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.get_meta_description(),
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.modified_at.isoformat(),
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.get_full_url(request)},
        "inLanguage": "de-DE",
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute_url(author.get_absolute_url()),
            }
            for author in article.authors
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.KRYPTOWELT_PUBLISHER_NAME,
            "logo": {
                "@type": "ImageObject",
                "url": absolute_url(static("img/logo-512.png")),
                "width": 512,
                "height": 512,
            },
        },
        "wordCount": len(article.plain_text.split()),
        "keywords": [tag.name for tag in article.tag_list],
    }
    image = article.get_social_image()
    if image is not None:
        url = image.get_rendition("fill-1200x675|format-jpeg").url
    else:
        url = static(FALLBACK_IMAGE)  # Kryptowelt's own picture for articles without one
    data["image"] = [absolute_url(url)]
    if article.section is not None:
        data["articleSection"] = article.section.title
    return data
