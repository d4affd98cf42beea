"""Automatic glossary links in rendered HTML (no Django imports: tested and benchmarked directly).

One Aho-Corasick automaton (pyahocorasick) holds every spelling of every term: titles,
variants and their regular German inflections (`kryptowelt.text.inflected_forms`: -s, -n,
-en, -e, -es, -er, -ern; abbreviations only -s). A single
pass over each text run finds all candidates; we then keep whole words only, apply case
rules per term, let the longest match win where candidates overlap, and link only the first
mention of each term, up to a maximum per document.

Text inside headings, links, quotations, code and a few other elements is never touched.
The HTML is tokenised with a regular expression rather than a full parser: it is our own,
sanitised rich-text output (Wagtail's editor, `core.sanitize`), and a full parse would cost
more than the whole 5 ms budget for a long article."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import ahocorasick

from kryptowelt.text import inflected_forms, lower_keeping_offsets

# Elements whose text is never linked.
SKIP_TAGS = frozenset(
    {
        "a",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "q",
        "cite",
        "figcaption",
        "code",
        "pre",
        "kbd",
        "samp",
        "var",
        "script",
        "style",
        "template",
        "textarea",
        "select",
        "option",
        "button",
        "label",
        "svg",
        "math",
        "iframe",
        "noscript",
        "title",
        "dfn",
        "abbr",
    }
)
# Elements with one of these classes are skipped too (the title of a tip box is a heading).
DEFAULT_SKIP_CLASSES = frozenset({"tip__title", "no-glossary"})
VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)

# Characters that always end a word (a quick pre-check before _joined()).
_SEPARATORS = frozenset(" \t\n\r\xa0,;:!?()[]{}\"'„“”‚‘’«»–—/|*+<>=")
_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*?)(/?)\s*>", re.DOTALL)
_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """One lexicon entry as the linker needs it."""

    key: str  # unique, e.g. the slug
    title: str
    url: str
    short: str
    spellings: tuple[str, ...]  # title and variants as editors wrote them
    case_sensitive: bool = False
    autolink: bool = True  # False: never linked automatically, but still claims its text


@dataclass
class LinkResult:
    fragments: list[str]
    linked: list[str] = field(default_factory=list)  # term keys, in order of linking


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _joined(text: str, index: int, step: int, edge: str) -> bool:
    """Whether the match edge `edge` continues into text[index] (no word boundary there).

    A letter next to a letter is one word; so is a name glued to a dot or @ that is
    followed by more letters ("mempool.space", "bitcoin.org", "name@bitcoin.de")."""
    char = text[index]
    if _is_word_char(char):
        return _is_word_char(edge)
    if char in ".@":
        beyond = index + step
        return 0 <= beyond < len(text) and _is_word_char(text[beyond]) and _is_word_char(edge)
    return False


class TermMatcher:
    """Built once per lexicon version; `link()` is then cheap and thread-safe."""

    def __init__(self, terms: Iterable[Term]):
        self.terms: list[Term] = []
        self._never: set[str] = set()
        self._parts: dict[tuple[int, str], tuple[str, str]] = {}
        self._automaton = ahocorasick.Automaton()
        # lowered form -> list of (term index, exact form or None if case-insensitive)
        entries: dict[str, list[tuple[int, str | None]]] = {}
        for term in terms:
            index = len(self.terms)
            self.terms.append(term)
            if not term.autolink:
                self._never.add(term.key)
            for spelling in (term.title, *term.spellings):
                for form in inflected_forms(spelling):
                    key = lower_keeping_offsets(form)
                    options = entries.setdefault(key, [])
                    exact = form if term.case_sensitive else None
                    if (index, exact) not in options:
                        options.append((index, exact))
        for key, options in entries.items():
            # Case-sensitive readings first: "Gas" (exact) beats a case-insensitive "gas".
            options.sort(key=lambda option: option[1] is None)
            self._automaton.add_word(key, (len(key), tuple(options)))
        self.pattern_count = len(entries)
        if entries:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.terms)

    # --- matching ------------------------------------------------------------------------
    def find(self, text: str) -> list[tuple[int, int, int]]:
        """Non-overlapping whole-word matches in plain `text`: (start, end, term index).

        Where candidates overlap, the leftmost wins, and among those the longest."""
        if not self.pattern_count or not text:
            return []
        lowered = lower_keeping_offsets(text)
        candidates = []
        length = len(text)
        for end_index, (size, options) in self._automaton.iter(lowered):
            start = end_index - size + 1
            end = end_index + 1
            # Cheap test first: most neighbours are spaces or punctuation.
            if (
                start > 0
                and text[start - 1] not in _SEPARATORS
                and _joined(text, start - 1, -1, text[start])
            ):
                continue
            if (
                end < length
                and text[end] not in _SEPARATORS
                and _joined(text, end, 1, text[end_index])
            ):
                continue
            chosen = None
            for term_index, exact in options:
                if exact is not None and text[start:end] != exact:
                    continue
                chosen = term_index
                break
            if chosen is None:
                continue
            candidates.append((start, -size, chosen))
        if not candidates:
            return []
        candidates.sort()
        matches = []
        cursor = 0
        for start, negative_size, term_index in candidates:
            if start < cursor:
                continue
            end = start - negative_size
            matches.append((start, end, term_index))
            cursor = end
        return matches

    # --- linking -------------------------------------------------------------------------
    def link(
        self,
        fragments: Sequence[str],
        *,
        max_links: int,
        exclude: Iterable[str] = (),
        skip_classes: frozenset[str] = DEFAULT_SKIP_CLASSES,
        id_prefix: str = "begriff-",
    ) -> LinkResult:
        """Link the first mention of each term across all `fragments` (one document).

        `exclude`: keys of terms not to link here (the term's own page); like terms
        switched off for autolinking, they still claim their text."""
        linked: list[str] = []
        done = set(exclude) | self._never
        out: list[str] = []
        for fragment in fragments:
            if len(linked) >= max_links or not self.pattern_count:
                out.append(fragment)
                continue
            out.append(
                self._link_fragment(fragment, linked, done, max_links, skip_classes, id_prefix)
            )
        return LinkResult(fragments=out, linked=linked)

    def _link_fragment(self, markup, linked, done, max_links, skip_classes, id_prefix) -> str:
        parts: list[str] = []
        skip_stack: list[list] = []  # [tag name, nesting depth]
        position = 0
        for token in _TOKEN.finditer(markup):
            if token.start() > position:
                text = markup[position : token.start()]
                if skip_stack or len(linked) >= max_links:
                    parts.append(text)
                else:
                    parts.append(self._link_text(text, linked, done, max_links, id_prefix))
            parts.append(token.group())
            position = token.end()
            self._track(token.group(), skip_stack, skip_classes)
        if position < len(markup):
            text = markup[position:]
            if skip_stack or len(linked) >= max_links:
                parts.append(text)
            else:
                parts.append(self._link_text(text, linked, done, max_links, id_prefix))
        return "".join(parts)

    @staticmethod
    def _track(token: str, skip_stack: list[list], skip_classes: frozenset[str]) -> None:
        tag = _TAG.match(token)
        if tag is None:
            return  # comment, doctype or a stray "<"
        closing, name, attributes, self_closing = tag.groups()
        name = name.lower()
        if name in VOID_TAGS:
            return
        if closing:
            if skip_stack and skip_stack[-1][0] == name:
                skip_stack[-1][1] -= 1
                if skip_stack[-1][1] == 0:
                    skip_stack.pop()
            return
        if self_closing:
            return
        if skip_stack:
            if skip_stack[-1][0] == name:
                skip_stack[-1][1] += 1
            return
        if name in SKIP_TAGS:
            skip_stack.append([name, 1])
            return
        if skip_classes and "class" in attributes.lower():
            found = _CLASS_ATTR.search(attributes)
            if found:
                classes = set((found.group(1) or found.group(2) or found.group(3) or "").split())
                if classes & skip_classes:
                    skip_stack.append([name, 1])

    def _link_parts(self, term_index: int, id_prefix: str) -> tuple[str, str]:
        """The markup around a term's label, escaped once per term and prefix."""
        key = (term_index, id_prefix)
        parts = self._parts.get(key)
        if parts is None:
            markup = render_link(self.terms[term_index], "\x00", id_prefix=id_prefix)
            before, _, after = markup.partition("\x00")
            parts = (before, after)
            self._parts[key] = parts
        return parts

    def _link_text(self, text, linked, done, max_links, id_prefix) -> str:
        escaped = "&" in text
        plain = html.unescape(text) if escaped else text
        matches = self.find(plain)
        if not matches:
            return text
        pieces: list[str] = []
        cursor = 0
        for start, end, term_index in matches:
            term = self.terms[term_index]
            if term.key in done:
                continue
            if len(linked) >= max_links:
                break
            done.add(term.key)
            linked.append(term.key)
            pieces.append(_escape(plain[cursor:start]) if escaped else plain[cursor:start])
            before, after = self._link_parts(term_index, id_prefix)
            pieces.append(before + _escape(plain[start:end]) + after)
            cursor = end
        if cursor == 0:
            return text
        rest = plain[cursor:]
        pieces.append(_escape(rest) if escaped else rest)
        return "".join(pieces)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def render_link(term: Term, label: str, *, id_prefix: str = "begriff-") -> str:
    """A link with an accessible short definition: the definition is referenced by
    aria-describedby and shown by CSS on hover and keyboard focus (no JavaScript)."""
    tip_id = f"{id_prefix}{term.key}"
    return (
        f'<span class="term"><a class="term__link" href="{html.escape(term.url)}" '
        f'aria-describedby="{html.escape(tip_id)}">{_escape(label)}</a>'
        f'<span class="term__tip" id="{html.escape(tip_id)}" role="tooltip" hidden>'
        f"{_escape(term.short)}</span></span>"
    )
