from django.urls import path

from kryptowelt.news import feeds, views

app_name = "news"

urlpatterns = [
    path("feeds/rss/", feeds.SiteRssFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.SiteAtomFeed(), name="feed_atom"),
    path("feeds/thema/<slug:tag_slug>/rss/", feeds.TagRssFeed(), name="tag_feed_rss"),
    path("feeds/thema/<slug:tag_slug>/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("feeds/<slug:section_slug>/rss/", feeds.SectionRssFeed(), name="section_feed_rss"),
    path("feeds/<slug:section_slug>/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
]
