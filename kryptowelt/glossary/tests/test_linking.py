"""The term linker on its own (no database): matching, forbidden places, limits."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kryptowelt.glossary.linking import Term, TermMatcher


def term(key, title, *variants, case_sensitive=False, autolink=True, short=None):
    return Term(
        key=key,
        title=title,
        url=f"/lexikon/{key}/",
        short=short or f"Kurz erklärt: {title}.",
        spellings=tuple(variants),
        case_sensitive=case_sensitive,
        autolink=autolink,
    )


TERMS = [
    term("bitcoin", "Bitcoin", "BTC"),
    term("bitcoin-cash", "Bitcoin Cash", "BCH"),
    term("wallet", "Wallet", "Krypto-Wallet"),
    term("wallet-adresse", "Wallet-Adresse", "Empfangsadresse"),
    term("block", "Block", "Blöcke", case_sensitive=True, autolink=False),
    term("blockchain", "Blockchain"),
    term("cpp", "C++"),
    term("layer-2", "Layer 2", "Layer-2", "L2", case_sensitive=True),
    term("btc-eur", "BTC/EUR"),
    term("mica", "MiCA", "Verordnung (EU) 2023/1114", case_sensitive=True),
    term("gas", "Gasgebühr", "Gas", case_sensitive=True),
    term("spread", "Spread", case_sensitive=True),
    term("mempool", "Mempool"),
    term("pump-and-dump", "Pump and Dump", "Pump & Dump"),
    term("boerse", "Krypto-Börse", "Kryptobörse"),
]
MATCHER = TermMatcher(TERMS)


def linked(markup, max_links=20, exclude=()):
    result = MATCHER.link([markup], max_links=max_links, exclude=exclude)
    return result.fragments[0], result.linked


def link_labels(markup):
    """(href key, label) of every term link in `markup`."""
    return re.findall(r'href="/lexikon/([^/]+)/"[^>]*>([^<]+)</a>', markup)


def visible_text(markup):
    without_tips = re.sub(r'<span class="term__tip"[^>]*>.*?</span>', "", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", without_tips))


# --- matching ------------------------------------------------------------------------------
def test_german_inflections_and_variants_are_matched():
    out, keys = linked(
        "<p>Zwei Bitcoins in Krypto-Wallets, drei Wallet-Adressen und viele Blockchains "
        "auf Kryptobörsen.</p>"
    )
    assert link_labels(out) == [
        ("bitcoin", "Bitcoins"),
        ("wallet", "Krypto-Wallets"),
        ("wallet-adresse", "Wallet-Adressen"),
        ("blockchain", "Blockchains"),
        ("boerse", "Kryptobörsen"),
    ]
    assert keys == ["bitcoin", "wallet", "wallet-adresse", "blockchain", "boerse"]


def test_only_whole_words_match():
    out, _ = linked("<p>Blockchainanalyse, Superwallet und Bitcoinkurs sind keine Treffer.</p>")
    assert link_labels(out) == []


def test_longest_match_wins_for_overlapping_terms():
    out, _ = linked("<p>Bitcoin Cash ist nicht Bitcoin.</p>")
    assert link_labels(out) == [("bitcoin-cash", "Bitcoin Cash"), ("bitcoin", "Bitcoin")]


def test_terms_with_special_characters_link_without_errors():
    out, _ = linked(
        "<p>C++ ist keine Kryptowährung. Layer-2-Netzwerke, das Paar BTC/EUR, die "
        "Verordnung (EU) 2023/1114 und Pump &amp; Dump.</p>"
    )
    assert link_labels(out) == [
        ("cpp", "C++"),
        ("layer-2", "Layer-2"),
        ("btc-eur", "BTC/EUR"),
        ("mica", "Verordnung (EU) 2023/1114"),
        ("pump-and-dump", "Pump &amp; Dump"),
    ]


def test_case_sensitive_terms_ignore_common_words_in_other_spellings():
    out, _ = linked("<p>Der spread des gas-Preises; LAYER 2 und layer 2.</p>")
    assert link_labels(out) == []
    out, _ = linked("<p>Der Spread und das Gas auf Layer 2.</p>")
    assert link_labels(out) == [("spread", "Spread"), ("gas", "Gas"), ("layer-2", "Layer 2")]


def test_case_insensitive_terms_match_any_case():
    out, _ = linked("<p>Die BLOCKCHAIN und ein bitcoin.</p>")
    assert link_labels(out) == [("blockchain", "BLOCKCHAIN"), ("bitcoin", "bitcoin")]


def test_domain_names_are_not_words():
    out, _ = linked("<p>Laut mempool.space und bitcoin.org war der Mempool voll.</p>")
    assert link_labels(out) == [("mempool", "Mempool")]


# --- where links never go -------------------------------------------------------------------
def test_no_links_in_headings_links_quotes_code_or_tip_titles():
    markup = (
        "<h2>Bitcoin und Wallets</h2>"
        '<p><a href="/x/">Bitcoin kaufen</a> und <code>Wallet</code></p>'
        '<figure class="quote"><blockquote><p>Blockchain ist die Zukunft.</p></blockquote>'
        "<figcaption>— Mempool-Fan</figcaption></figure>"
        '<aside class="tip"><p class="tip__title"><span>Tipp</span> Spread beachten</p>'
        "<p>Ein Satz über den Spread.</p></aside>"
        "<p>Erst hier: Bitcoin, Wallet, Blockchain.</p>"
    )
    out, _ = linked(markup)
    assert link_labels(out) == [
        ("spread", "Spread"),
        ("bitcoin", "Bitcoin"),
        ("wallet", "Wallet"),
        ("blockchain", "Blockchain"),
    ]
    assert "<h2>Bitcoin und Wallets</h2>" in out
    assert '<a href="/x/">Bitcoin kaufen</a>' in out
    assert "<blockquote><p>Blockchain ist die Zukunft.</p></blockquote>" in out
    assert "Tipp</span> Spread beachten</p>" in out


def test_only_the_first_mention_is_linked_across_fragments():
    result = MATCHER.link(
        ["<p>Bitcoin hier.</p>", "<p>Bitcoin und Bitcoins dort, dann Wallet.</p>"],
        max_links=10,
    )
    assert link_labels(result.fragments[0]) == [("bitcoin", "Bitcoin")]
    assert link_labels(result.fragments[1]) == [("wallet", "Wallet")]
    assert result.linked == ["bitcoin", "wallet"]


def test_at_most_max_links_are_set():
    out, keys = linked("<p>Bitcoin, Wallet, Blockchain, Mempool und Spread.</p>", max_links=2)
    assert keys == ["bitcoin", "wallet"]
    assert len(link_labels(out)) == 2


def test_excluded_term_is_not_linked_but_still_claims_its_text():
    out, _ = linked("<p>Bitcoin Cash und Bitcoin.</p>", exclude=("bitcoin-cash",))
    assert link_labels(out) == [("bitcoin", "Bitcoin")]
    assert ">Bitcoin Cash<" not in out


def test_terms_switched_off_are_never_linked():
    out, keys = linked("<p>Ein Block und viele Blöcke.</p>")
    assert keys == []
    assert out == "<p>Ein Block und viele Blöcke.</p>"


# --- markup --------------------------------------------------------------------------------
def test_link_carries_an_accessible_short_definition():
    matcher = TermMatcher([term("xss", "Hack", short='Böse <script>alert("x")</script>')])
    out = matcher.link(["<p>Ein Hack.</p>"], max_links=5).fragments[0]
    assert 'aria-describedby="begriff-xss"' in out
    assert 'id="begriff-xss" role="tooltip" hidden>' in out
    assert "<script>" not in out
    assert "&lt;script&gt;" in out


def test_broken_or_odd_markup_does_not_crash_and_keeps_text():
    for markup in (
        "<p>Bitcoin <b>offen",
        "a < b und Bitcoin > Wallet",
        "<!-- Bitcoin --><p>Wallet</p>",
        "</a></h2>Bitcoin<h2>",
        "<p>&amp;&lt;Bitcoin&gt;</p>",
        "",
    ):
        out, _ = linked(markup)
        assert visible_text(out) == visible_text(markup)


def test_empty_lexicon_changes_nothing():
    matcher = TermMatcher([])
    assert matcher.link(["<p>Bitcoin</p>"], max_links=5).fragments == ["<p>Bitcoin</p>"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Bitcoin",
                "Bitcoin Cash",
                "Wallets",
                " ",
                ", ",
                "-",
                "&amp;",
                "<b>",
                "</b>",
                "<h2>",
                "</h2>",
                '<a href="/x/">',
                "</a>",
                "C++",
                "Layer-2",
                "Gas",
                "ß",
                "İ",
                "ein",
            ]
        ),
        max_size=30,
    )
)
def test_linking_never_changes_the_visible_text(tokens):
    markup = "<p>" + "".join(tokens) + "</p>"
    out, keys = linked(markup)
    assert visible_text(out) == visible_text(markup)
    assert len(keys) == len(set(keys))
