"""Atom and RSS feeds of the newsletter archive (/newsletter/feed/atom/ and …/rss/): every
sent edition, with absolute links from SITE_URL like the site's other feeds (news/feeds.py)."""

from django.contrib.syndication.views import Feed
from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Atom1Feed

from kryptowelt.core.site_urls import absolute_url
from kryptowelt.news.feeds import GermanRssFeed
from kryptowelt.newsletter.mails import intro_text
from kryptowelt.newsletter.selectors import edition_archive_list

FEED_SIZE = 30


class EditionRssFeed(Feed):
    feed_type = GermanRssFeed
    language = "de"
    title = "Kryptowelt-Newsletter – alle Ausgaben"
    description = "Die Ausgaben des Kryptowelt-Newsletters zum Nachlesen."

    def get_object(self, request, index):
        return index

    def link(self, obj):
        return absolute_url(obj.url)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = iri_to_uri(absolute_url(request.path))
        return feed

    def items(self, obj):
        return edition_archive_list(index=obj)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return intro_text(item.intro) or item.get_meta_description()

    def item_link(self, item):
        return absolute_url(item.url)

    def item_guid(self, item):
        return absolute_url(item.url)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.send.finished_at


class EditionAtomFeed(EditionRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description
