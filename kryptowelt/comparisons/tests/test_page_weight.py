"""What a phone must do to draw a comparison page: few elements, no script, no size container.

Lighthouse (mobile) traces of /vergleich/krypto-boersen/ showed the page's longest task as
the first style + layout: with the table wrapper as a CSS size container, Chromium computed
the style of the whole table inside layout. The comparison pages now turn their tables into
cards with a media query; only an article block (.cmp-block) is a size container. These
tests fail if a kind page grows a size container, script or a much larger DOM again.
"""

import re
from html.parser import HTMLParser

import pytest

from kryptowelt.comparisons.tests.test_pages import KIND_URLS

pytestmark = pytest.mark.django_db

# With the 18 providers of providers.toml the exchanges page has about 430 elements; a
# phone lays out 800 without a long task of its own. Lighthouse warns from 800 on.
MAX_ELEMENTS = 800


class ElementCounter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = 0
        self.scripts: list[dict] = []
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements += 1
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes["href"])

    handle_startendtag = handle_starttag


def parsed(html: str) -> ElementCounter:
    counter = ElementCounter()
    counter.feed(html)
    return counter


def css_rules(css: str) -> list[tuple[str, str, str]]:
    """(enclosing at-rule or "", selector, declarations) of every style rule."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules, at_rules, buffer = [], [], ""
    for char in css:
        if char == "{":
            prelude, buffer = buffer.strip(), ""
            if prelude.startswith("@"):
                at_rules.append(prelude)
            else:
                at_rules.append(None)
                rules.append([next((a for a in reversed(at_rules) if a), ""), prelude, None])
        elif char == "}":
            if at_rules.pop() is None:
                rules[-1][2] = buffer
            buffer = ""
        else:
            buffer += char
    return [tuple(rule) for rule in rules]


def test_kind_pages_stay_small_and_free_of_script(client, demo_providers):
    for url in KIND_URLS:
        page = parsed(client.get(url).content.decode())
        assert 50 < page.elements <= MAX_ELEMENTS, (url, page.elements)
        # The only script is the empty deferred one of every page (styles-first.js); the
        # rest is JSON-LD data. Sorting and filtering are a GET form, rendered by the server.
        code = [s for s in page.scripts if s.get("type") != "application/ld+json"]
        assert [s.get("src", "").split("/")[-1].split(".")[0] for s in code] == ["styles-first"]
        assert all("defer" in s for s in code)


def test_comparison_tables_turn_into_cards_by_media_query_not_a_size_container(
    client, demo_providers
):
    html = client.get("/vergleich/krypto-boersen/").content.decode()
    css = "".join(
        b"".join(client.get(href).streaming_content).decode() for href in parsed(html).stylesheets
    )
    rules = css_rules(css)
    assert rules
    containers = [selector for _, selector, body in rules if "container-type" in body]
    # Only the article block's table is a size container, never the comparison page's.
    assert containers
    for selector in containers:
        for part in selector.split(","):
            assert part.strip().startswith(".cmp-block "), part
    assert 'class="cmp-block' not in html
    # On a phone the page's table still becomes cards (no header row, one card per row).
    cards = [
        (at_rule, selector)
        for at_rule, selector, body in rules
        if selector == ".cmp-table thead" and "position: absolute" in body
    ]
    assert ("@media (max-width: 49.99rem)", ".cmp-table thead") in cards
