"""Which embedded content we take over, and how (no Django).

Embeds become our click-to-load embed block: nothing from the provider loads before the
reader asks. We recognise the providers WordPress embeds by URL; an iframe is kept (as
an embed block) only when its address belongs to one of the video providers below, every
other iframe is removed and reported. For YouTube and Vimeo the player address is known,
so the importer can store the click-to-load player without asking the provider (no
network while importing)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtu.be",
    "www.youtube-nocookie.com",
    "youtube-nocookie.com",
}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
# Providers whose page URLs WordPress turns into embeds (a subset of its oEmbed list).
_LINK_PROVIDERS = {
    "twitter.com": "X (Twitter)",
    "www.twitter.com": "X (Twitter)",
    "mobile.twitter.com": "X (Twitter)",
    "x.com": "X (Twitter)",
    "www.instagram.com": "Instagram",
    "instagram.com": "Instagram",
    "www.tiktok.com": "TikTok",
    "soundcloud.com": "SoundCloud",
    "open.spotify.com": "Spotify",
    "www.facebook.com": "Facebook",
    "www.dailymotion.com": "Dailymotion",
    "www.reddit.com": "Reddit",
    "www.linkedin.com": "LinkedIn",
    "bsky.app": "Bluesky",
}
_YOUTUBE_ID = re.compile(r"^[\w-]{6,20}$")


def _parts(url: str):
    url = (url or "").strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    return parts


def youtube_id(url: str) -> str | None:
    parts = _parts(url)
    if parts is None or parts.hostname not in _YOUTUBE_HOSTS:
        return None
    if parts.hostname == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif parts.path == "/watch":
        candidate = (parse_qs(parts.query).get("v") or [""])[0]
    else:
        segments = [segment for segment in parts.path.split("/") if segment]
        candidate = (
            segments[1]
            if len(segments) >= 2 and segments[0] in {"embed", "v", "shorts", "live"}
            else ""
        )
    return candidate if _YOUTUBE_ID.match(candidate or "") else None


def vimeo_id(url: str) -> str | None:
    parts = _parts(url)
    if parts is None or parts.hostname not in _VIMEO_HOSTS:
        return None
    digits = [segment for segment in parts.path.split("/") if segment.isdigit()]
    return digits[0] if digits else None


def embed_url(url: str) -> str | None:
    """The URL to store in an embed block, or None if we do not embed this address."""
    video = youtube_id(url)
    if video:
        return f"https://www.youtube.com/watch?v={video}"
    video = vimeo_id(url)
    if video:
        return f"https://vimeo.com/{video}"
    parts = _parts(url)
    if parts is not None and parts.hostname in _LINK_PROVIDERS:
        return parts.geturl().replace("http://", "https://", 1)
    return None


def provider_name(url: str) -> str:
    if youtube_id(url):
        return "YouTube"
    if vimeo_id(url):
        return "Vimeo"
    parts = _parts(url)
    return _LINK_PROVIDERS.get(parts.hostname, "") if parts else ""


def player_html(url: str) -> str | None:
    """The privacy-friendly player iframe for YouTube and Vimeo, None for others."""
    video = youtube_id(url)
    if video:
        return (
            f'<iframe src="https://www.youtube-nocookie.com/embed/{video}" width="560" '
            'height="315" title="YouTube-Video" allowfullscreen loading="lazy" '
            'referrerpolicy="strict-origin-when-cross-origin"></iframe>'
        )
    video = vimeo_id(url)
    if video:
        return (
            f'<iframe src="https://player.vimeo.com/video/{video}?dnt=1" width="560" '
            'height="315" title="Vimeo-Video" allowfullscreen loading="lazy"></iframe>'
        )
    return None
