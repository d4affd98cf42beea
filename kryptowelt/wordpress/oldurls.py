"""The addresses a WordPress site answered under, and how to recognise them (no Django).

Whatever the permalink structure was, every item's `<link>` is its address; on top of that
WordPress answers `/?p=ID`, `/?page_id=ID` and `/?attachment_id=ID`, redirects former slugs
(`_wp_old_slug`) and dates (`_wp_old_date`), and shows categories, tags and authors under
`/category/…`, `/tag/…` and `/author/…` (the bases can be changed in WordPress; the export
does not say, so the importer takes them as options).

Two forms of a path: the *raw* form as it appeared in the export (percent-encoded, with its
trailing slash), which is what Wagtail's redirects normalise themselves, and the *key* used
to recognise a link in content: percent-decoded, without trailing slash or fragment, and
with only the query parameters WordPress routes by."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlsplit

ROUTING_PARAMETERS = ("p", "page_id", "attachment_id", "cat", "tag", "author")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def site_hosts(*urls: str) -> set[str]:
    """Host names of the site: those in the given URLs, each with and without "www."."""
    hosts = set()
    for url in urls:
        try:
            host = (urlsplit(url.strip()).hostname or "").lower()
        except ValueError:
            continue
        if host:
            bare = host.removeprefix("www.")
            hosts |= {bare, f"www.{bare}"}
    return hosts


def raw_path(url: str, hosts: set[str]) -> str | None:
    """The path and query of `url` if it is an address of the site (or root-relative)."""
    url = (url or "").strip()
    if not url or url.startswith("#"):
        return None
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return None
    if parts.netloc:
        if (parts.hostname or "").lower() not in hosts:
            return None
    elif not parts.path.startswith("/") and not parts.query:
        return None
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def path_key(raw: str) -> str:
    """What two spellings of the same address have in common."""
    path, _, query = raw.partition("?")
    path = unquote(path)
    if len(path) > 1:
        path = path.rstrip("/")
    pairs = sorted((name, value) for name, value in parse_qsl(query) if name in ROUTING_PARAMETERS)
    if pairs:
        return path + "?" + "&".join(f"{name}={value}" for name, value in pairs)
    return path


def item_paths(
    *,
    wp_id: int,
    post_type: str,
    link: str,
    slug: str,
    post_date: str,
    old_slugs: list[str],
    old_dates: list[str],
    hosts: set[str],
    blog_path: str = "",
) -> list[str]:
    """Raw old paths of a post, page or attachment, its pretty link first."""
    paths: list[str] = []
    link_path = raw_path(link, hosts)
    if link_path and "?" not in link_path:
        paths.append(link_path)
        paths += _variants(link_path, slug, post_date, old_slugs, old_dates)
    by_id = {"page": ["page_id", "p"], "attachment": ["attachment_id", "p"]}.get(post_type, ["p"])
    paths += [f"{blog_path}/?{name}={wp_id}" for name in by_id]
    seen, unique = set(), []
    for path in paths:
        key = path_key(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _variants(path, slug, post_date, old_slugs, old_dates) -> list[str]:
    """The path with former slugs and dates in place of the current ones."""
    segments = path.split("/")
    slug_positions = [
        index
        for index, segment in enumerate(segments)
        if segment and segment.lower() == slug.lower()
    ]
    slugs = [quote(unquote(old), safe="%") for old in old_slugs if old and old != slug]
    candidates = []
    if slug_positions:
        position = slug_positions[-1]
        for old in slugs:
            candidates.append("/".join([*segments[:position], old, *segments[position + 1 :]]))
    current = _DATE.match(post_date or "")
    if current:
        for old_date in old_dates:
            old = _DATE.match(old_date or "")
            if not old:
                continue
            for base in [path, *candidates]:
                moved = _replace_date(base, current.groups(), old.groups())
                if moved != base:
                    candidates.append(moved)
    return candidates


def _replace_date(path: str, current: tuple, old: tuple) -> str:
    year, month, day = current
    for pattern, replacement in (
        (f"/{year}/{month}/{day}/", f"/{old[0]}/{old[1]}/{old[2]}/"),
        (f"/{year}/{month}/", f"/{old[0]}/{old[1]}/"),
        (f"/{year}/", f"/{old[0]}/"),
    ):
        if pattern in path:
            return path.replace(pattern, replacement, 1)
    return path


def permalink_template(path: str, slug: str, post_date: str) -> str:
    """The permalink structure of a published post's path, e.g. "/%year%/%monthnum%/%postname%/"
    ("" when the path does not contain the slug)."""
    date = _DATE.match(post_date or "")
    if not path or not slug or "?" in path or f"/{slug}" not in path or not date:
        return ""
    year, month, day = date.groups()
    template = path.replace(f"/{slug}", "/%postname%", 1)
    for value, token in (
        (f"/{year}/", "/%year%/"),
        (f"/{month}/", "/%monthnum%/"),
        (f"/{day}/", "/%day%/"),
    ):
        template = template.replace(value, token, 1)
    return template


def permalink_apply(template: str, slug: str, post_date: str) -> str:
    date = _DATE.match(post_date or "")
    if not template or not slug or not date or "%post_id%" in template:
        return ""
    year, month, day = date.groups()
    return (
        template.replace("%postname%", slug)
        .replace("%year%", year)
        .replace("%monthnum%", month)
        .replace("%day%", day)
    )


def category_paths(
    *, chain: list[str], term_id: str, base: str = "category", blog_path: str = ""
) -> list[str]:
    """`chain` is the slugs from the top category down to this one."""
    paths = [f"{blog_path}/{base}/{'/'.join(chain)}/"]
    if len(chain) > 1:
        paths.append(f"{blog_path}/{base}/{chain[-1]}/")
    if term_id:
        paths.append(f"{blog_path}/?cat={term_id}")
    return paths


def tag_paths(*, slug: str, base: str = "tag", blog_path: str = "") -> list[str]:
    return [f"{blog_path}/{base}/{slug}/", f"{blog_path}/?tag={slug}"]


def author_nicename(login: str) -> str:
    """WordPress's address name of a user, made from the login when the user is created."""
    name = re.sub(r"[^a-z0-9_-]+", "-", login.strip().lower())
    return re.sub(r"-+", "-", name).strip("-")


def author_paths(*, login: str, wp_id: str, blog_path: str = "") -> list[str]:
    paths = [f"{blog_path}/author/{author_nicename(login)}/"]
    if quote(login) != author_nicename(login):
        paths.append(f"{blog_path}/author/{quote(login)}/")
    if wp_id:
        paths.append(f"{blog_path}/?author={wp_id}")
    return paths


def uploads_relative(url: str, prefix: str) -> str | None:
    """The path below wp-content/uploads of a file URL (any host, percent-decoded)."""
    try:
        path = unquote(urlsplit((url or "").strip()).path)
    except ValueError:
        return None
    if prefix and path.startswith(prefix):
        return path[len(prefix) :]
    marker = "/wp-content/uploads/"
    if marker in path:
        return path.split(marker, 1)[1]
    return None
