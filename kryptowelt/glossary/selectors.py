"""Reads for the lexicon: the A–Z index, related articles, and the term matcher with the
cached linked HTML of article bodies."""

import hashlib
import threading
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from kryptowelt.caching.remember import remembered
from kryptowelt.caching.scopes import Scope, generations, reads
from kryptowelt.glossary.linking import Term, TermMatcher
from kryptowelt.glossary.models import LexiconIndexPage, LexiconTermPage, split_lines
from kryptowelt.news.models import Topic
from kryptowelt.news.selectors import article_list
from kryptowelt.text import inflected_forms

LINKED_KEY = "kw:glossary:linked:{version}:{digest}"
LINKED_SECONDS = 7 * 24 * 3600
OTHER_LETTER = "0–9"
ALPHABET = [chr(code) for code in range(ord("A"), ord("Z") + 1)]

_matcher_lock = threading.Lock()
_matcher_cache: dict[str, TermMatcher] = {}


# --- the glossary scope: every cached link set depends on it -------------------------------
def lexicon_version() -> int:
    """Changes whenever a term is published, unpublished, moved or deleted (the glossary
    scope of kryptowelt.caching, bumped in glossary/signals.py)."""
    return generations()[Scope.GLOSSARY]


# --- terms -------------------------------------------------------------------------------
def live_terms():
    return LexiconTermPage.objects.live().public()


def term_matcher() -> TermMatcher:
    """The matcher for all live terms, built once per lexicon version and process."""
    version = lexicon_version()
    matcher = _matcher_cache.get(version)
    if matcher is not None:
        return matcher
    with _matcher_lock:
        matcher = _matcher_cache.get(version)
        if matcher is None:
            matcher = TermMatcher(_terms_for_matching())
            _matcher_cache.clear()
            _matcher_cache[version] = matcher
    return matcher


def _terms_for_matching() -> list[Term]:
    terms = []
    pages = (
        live_terms()
        .order_by("title")
        .only(
            "title",
            "slug",
            "url_path",
            "short_definition",
            "variants",
            "case_sensitive",
            "autolink",
        )
    )
    for page in pages:
        terms.append(
            Term(
                key=page.slug,
                title=page.title,
                url=page.get_url() or "",
                short=page.short_definition,
                spellings=tuple(split_lines(page.variants)),
                case_sensitive=page.case_sensitive,
                autolink=page.autolink,
            )
        )
    return terms


def max_links() -> int:
    return int(getattr(settings, "KRYPTOWELT_GLOSSARY_MAX_LINKS", 10))


@reads(Scope.GLOSSARY)
def linked_fragments(*, fragments: list[str], exclude: tuple[str, ...] = ()) -> list[str]:
    """`fragments` (rendered HTML of one document, in order) with term links added.

    Cached by the content itself and the lexicon version: a changed article renders to
    different HTML (new key), a changed lexicon gets a new version (new key)."""
    limit = max_links()
    if not fragments or limit <= 0:
        return list(fragments)
    version = lexicon_version()
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{limit}|{','.join(exclude)}|".encode())
    for fragment in fragments:
        digest.update(fragment.encode())
        digest.update(b"\x00")
    key = LINKED_KEY.format(version=version, digest=digest.hexdigest())
    cached = cache.get(key)
    if cached is not None and len(cached) == len(fragments):
        return cached
    result = term_matcher().link(fragments, max_links=limit, exclude=exclude).fragments
    cache.set(key, result, LINKED_SECONDS)
    return result


# --- A–Z index -----------------------------------------------------------------------------
def index_letter(title: str) -> str:
    """The register letter: umlauts under their base letter, digits and symbols together."""
    for char in unicodedata.normalize("NFKD", title.strip()):
        if char.isalpha() and char.isascii():
            return char.upper()
        if char.isalnum():
            return OTHER_LETTER
    return OTHER_LETTER


def _sort_key(title: str) -> str:
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def lexicon_register(*, index: LexiconIndexPage) -> dict:
    """Live terms below `index`, grouped by letter, with the letter navigation.

    Plain data, kept until the lexicon changes."""
    return remembered(
        f"lexicon-register:{index.pk}",
        lambda: _register_build(index=index),
        seconds=LINKED_SECONDS,
        scopes=(Scope.GLOSSARY,),
    )


def _register_build(*, index: LexiconIndexPage) -> dict:
    rows = list(
        LexiconTermPage.objects.live()
        .public()
        .child_of(index)
        .values_list("title", "slug", "short_definition")
    )
    rows.sort(key=lambda row: _sort_key(row[0]))
    groups: dict[str, list[dict]] = {}
    for title, slug, short in rows:
        groups.setdefault(index_letter(title), []).append(
            {"title": title, "slug": slug, "short": short}
        )
    letters = [*ALPHABET, OTHER_LETTER] if OTHER_LETTER in groups else ALPHABET
    return {
        "letters": [
            {"letter": letter, "anchor": letter_anchor(letter), "has_terms": letter in groups}
            for letter in letters
        ],
        "letter_groups": [
            {"letter": letter, "anchor": letter_anchor(letter), "terms": groups[letter]}
            for letter in letters
            if letter in groups
        ],
        "terms": [{"title": title, "slug": slug, "short": short} for title, slug, short in rows],
        "term_count": len(rows),
    }


def letter_anchor(letter: str) -> str:
    return "buchstabe-0-9" if letter == OTHER_LETTER else f"buchstabe-{letter.lower()}"


# --- related articles ------------------------------------------------------------------------
def term_related_articles(*, term: LexiconTermPage, limit: int = 4) -> list:
    """Articles the editors picked, then the newest articles tagged with the term (in any of
    its spellings and regular inflections)."""
    picked_ids = [link.article_id for link in term.related_article_links.all()]
    result = []
    if picked_ids:
        picked = {a.pk: a for a in article_list().filter(pk__in=picked_ids)}
        result = [picked[pk] for pk in picked_ids if pk in picked]
    if len(result) >= limit:
        return result[:limit]
    forms = {
        form for spelling in [term.title, *term.variant_list] for form in inflected_forms(spelling)
    }
    matches_term = Q()
    for form in forms:
        matches_term |= Q(name__iexact=form)
    topic_ids = list(Topic.objects.filter(matches_term).values_list("pk", flat=True))
    if topic_ids:
        tagged = article_list().filter(tags__in=topic_ids).exclude(pk__in=picked_ids)
        result.extend(tagged[: limit - len(result)])
    if len(result) < limit:
        # Fall back to articles whose title names the term.
        seen = [a.pk for a in result]
        titled = article_list().filter(title__icontains=term.title).exclude(pk__in=seen)
        result.extend(titled[: limit - len(result)])
    return result
