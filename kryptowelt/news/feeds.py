"""RSS 2.0 and Atom feeds for the whole site, each section and each tag.

Every link in a feed is absolute and starts with SITE_URL (core/site_urls.py): Django's
feeds would otherwise complete relative links with the request's Host, and feeds are
cached for every reader."""

import functools
import os

from django.contrib.staticfiles import finders
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from kryptowelt.caching.remember import remembered
from kryptowelt.core.site_urls import absolute_url
from kryptowelt.news.models import SectionPage, Topic
from kryptowelt.news.selectors import article_feed_list
from kryptowelt.news.structured_data import FALLBACK_IMAGE

FEED_SIZE = 30
SITE_TITLE = "Kryptowelt – Die Welt der Kryptowährungen"
# The same picture as og:image and JSON-LD (shared renditions).
FEED_RENDITION = "fill-1200x675|format-jpeg"


@functools.cache
def _fallback_length() -> int:
    path = finders.find(FALLBACK_IMAGE)
    return os.path.getsize(path) if path else 0


def _rendition_bytes(rendition) -> int:
    """The rendition's size for the enclosure. On object storage (MEDIA_STORAGE=s3) reading
    it is a request to the store, so it is remembered: a rendition's file never changes
    under its name."""
    return remembered(
        f"rendition-bytes:{rendition.file.name}", lambda: rendition.file.size, seconds=86400
    )


class GermanRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xml:lang"] = "de"
        return attrs


class ArticleFeed(Feed):
    feed_type = GermanRssFeed
    language = "de"
    title = SITE_TITLE
    description = "Neuigkeiten, Trends und Tipps rund um Kryptowährungen."

    def link(self):
        return absolute_url("/")

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = iri_to_uri(absolute_url(request.path))
        return feed

    def articles(self, obj):
        return article_feed_list()

    def items(self, obj=None):
        return self.articles(obj)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.teaser

    def item_link(self, item):
        return absolute_url(item.url)

    def item_guid(self, item):
        return item.get_full_url()

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        """The article's picture, or Kryptowelt's own for articles without one, as feed
        readers show it beside the entry."""
        image = item.get_social_image()
        if image is not None:
            rendition = image.get_rendition(FEED_RENDITION)
            url, length = rendition.url, _rendition_bytes(rendition)
        else:
            url, length = static(FALLBACK_IMAGE), _fallback_length()
        return [Enclosure(url=absolute_url(url), length=str(length), mime_type="image/jpeg")]


class AtomFeedMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj=None):
        return self.description(obj) if callable(self.description) else self.description


class SiteRssFeed(ArticleFeed):
    pass


class SiteAtomFeed(AtomFeedMixin, ArticleFeed):
    pass


class SectionRssFeed(ArticleFeed):
    def get_object(self, request, section_slug):
        section = SectionPage.objects.live().public().filter(slug=section_slug).first()
        if section is None:
            raise Http404
        return section

    def title(self, obj):
        return f"{obj.title} – {SITE_TITLE}"

    def description(self, obj):
        return obj.intro or f"Artikel der Rubrik {obj.title}."

    def link(self, obj):
        return absolute_url(obj.url)

    def articles(self, obj):
        return article_feed_list(section=obj)


class SectionAtomFeed(AtomFeedMixin, SectionRssFeed):
    pass


class TagRssFeed(ArticleFeed):
    def get_object(self, request, tag_slug):
        return get_object_or_404(Topic, slug=tag_slug)

    def title(self, obj):
        return f"Thema {obj.name} – {SITE_TITLE}"

    def description(self, obj):
        return f"Artikel zum Thema {obj.name}."

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def articles(self, obj):
        return article_feed_list(tag=obj)


class TagAtomFeed(AtomFeedMixin, TagRssFeed):
    pass
