"""Krypto-Lexikon benchmarks (`make bench-glossary`).

1. Linking: a 2,000-word article (real demo text, rendered to HTML) against 1,000 terms
   (the 106 real lexicon entries plus generated ones, many of which occur in the text).
   Target: under 5 ms per article, uncached.
2. Pages: server time of /lexikon/ (the A–Z index with every real term), of a term page
   and of an article page, measured in-process with Django's test client on a throwaway
   SQLite database. Target for the index: under 30 ms.

Wall-clock figures depend on what else runs on the machine; the CPU time of the serving
process is printed alongside, as it is not inflated by other processes. Prints figures
only; nothing here fails a build."""

import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_WORDS = 2000
TARGET_TERMS = 1000


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def _ms(seconds):
    return f"{seconds * 1000:.2f} ms"


# --- 1. linking ------------------------------------------------------------------------------
def article_html(words: int = TARGET_WORDS) -> list[str]:
    """Rendered-like HTML fragments of real demo articles, about `words` words long."""
    from kryptowelt.core.markdown import markdown_to_blocks
    from kryptowelt.demo.content import CONTENT_DIR, read_markdown_folder

    fragments, count = [], 0
    for document in read_markdown_folder(CONTENT_DIR / "articles"):
        for block in markdown_to_blocks(document.body):
            if block["type"] == "paragraph":
                fragments.append(block["value"])
                count += len(re.sub(r"<[^>]+>", " ", block["value"]).split())
            elif block["type"] == "heading":
                fragments.append(f"<h2>{block['value']['text']}</h2>")
            elif block["type"] == "tip":
                fragments.append(
                    f'<aside class="tip"><p class="tip__title">{block["value"]["title"]}</p>'
                    f"{block['value']['text']}</aside>"
                )
            if count >= words:
                return fragments
    return fragments


def benchmark_terms(text: str, total: int = TARGET_TERMS):
    from kryptowelt.glossary.content import terms_read
    from kryptowelt.glossary.linking import Term

    terms = [
        Term(
            key=e.slug,
            title=e.title,
            url=f"/lexikon/{e.slug}/",
            short=e.short,
            spellings=tuple(e.variants),
            case_sensitive=e.case_sensitive,
            autolink=e.autolink,
        )
        for e in terms_read()
    ]
    taken = {spelling.casefold() for t in terms for spelling in (t.title, *t.spellings)}
    rng = random.Random(7)
    # Nouns that really occur in the article, so the automaton finds plenty of candidates.
    nouns = sorted(set(re.findall(r"\b[A-ZÄÖÜ][a-zäöüß]{5,}\b", text)))
    rng.shuffle(nouns)
    prefixes = ["Krypto", "Token", "Chain", "Wallet", "Börsen", "Staking", "Steuer", "Netz"]
    suffixes = ["index", "protokoll", "gebühr", "modell", "register", "standard", "pool"]
    candidates = nouns + [f"{p}-{s.capitalize()}" for p in prefixes for s in suffixes]
    candidates += [f"Begriff {n}" for n in range(total)]
    for word in candidates:
        if len(terms) >= total:
            break
        if word.casefold() in taken:
            continue
        taken.add(word.casefold())
        key = f"bench-{len(terms)}"
        terms.append(
            Term(
                key=key,
                title=word,
                url=f"/lexikon/{key}/",
                short=f"{word} kurz erklärt.",
                spellings=(f"{word}-Variante",),
            )
        )
    return terms


def bench_linking(runs: int = 300) -> None:
    from kryptowelt.glossary.linking import TermMatcher

    fragments = article_html()
    text = " ".join(re.sub(r"<[^>]+>", " ", f) for f in fragments)
    words = len(text.split())
    terms = benchmark_terms(text)
    started = time.perf_counter()
    matcher = TermMatcher(terms)
    build = time.perf_counter() - started
    print(
        f"Linking: {words} words in {len(fragments)} blocks, {len(terms)} terms, "
        f"{matcher.pattern_count} patterns (variants + German endings)"
    )
    print(f"  build automaton (once per lexicon version): {_ms(build)}")
    for limit in (12, 10_000):
        times, cpu, linked = [], [], 0
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = matcher.link(fragments, max_links=limit)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            linked = len(result.linked)
        label = f"max {limit} links" if limit < 10_000 else "no limit: every mention scanned"
        print(
            f"  link article ({label}, {linked} links set): median "
            f"{_ms(statistics.median(times))}, p95 {_ms(_percentile(times, 0.95))}, "
            f"CPU mean {_ms(statistics.fmean(cpu))}  [target < 5 ms]"
        )


# --- 2. pages ----------------------------------------------------------------------------------
def bench_pages(runs: int = 60) -> None:
    """Server time through Django's real WSGI handler (all middleware, no test-client
    instrumentation), on a throwaway SQLite database with the local-memory cache."""
    var_dir = tempfile.mkdtemp(prefix="kw-bench-glossary-")
    os.environ["KRYPTOWELT_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "kryptowelt.settings.test"
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.test import RequestFactory

    print("Pages: preparing a throwaway database (migrate, lexicon, one article) …", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    from kryptowelt.glossary.loaders import load_lexicon
    from kryptowelt.glossary.models import LexiconTermPage
    from kryptowelt.home.factories import site_create
    from kryptowelt.news.factories import article_make

    site_create()
    load_lexicon()
    fragments = article_html()
    body = "\n\n".join(re.sub(r"<[^>]+>", "", f) for f in fragments)
    article = article_make(section="wissen", title="Benchmark-Artikel", body=body)
    terms = LexiconTermPage.objects.live().count()

    handler, factory = WSGIHandler(), RequestFactory()

    def serve(url: str, clock=time.perf_counter) -> float:
        status = []
        started = clock()
        b"".join(handler(factory.get(url).environ, lambda s, h, *a: status.append(s)))
        elapsed = clock() - started
        assert status[0].startswith("200"), (url, status)
        return elapsed

    def measure(label: str, url: str, note: str = "") -> None:
        serve(url)  # warm up caches and templates
        wall = [serve(url) for _ in range(runs)]
        cpu = [serve(url, time.process_time) for _ in range(runs)]
        print(
            f"  {label}: median {_ms(statistics.median(wall))}, "
            f"p95 {_ms(_percentile(wall, 0.95))}; CPU mean {_ms(statistics.fmean(cpu))} {note}"
        )

    measure("/impressum/ (plain page, for comparison)", "/impressum/")
    measure(f"/lexikon/ (A–Z index, {terms} terms)", "/lexikon/", "[target < 30 ms]")
    measure("/lexikon/seed-phrase/ (term page)", "/lexikon/seed-phrase/")
    measure("article page, ~2,000 words, term links cached", article.url)

    times = []
    for _ in range(20):
        cache.clear()  # the lexicon version is gone: matcher rebuilt, links computed anew
        times.append(serve(article.url))
    print(f"  article page with an empty cache: median {_ms(statistics.median(times))}")
    times = []
    for _ in range(20):
        cache.clear()
        times.append(serve("/lexikon/"))
    print(f"  /lexikon/ with an empty cache: median {_ms(statistics.median(times))}")


if __name__ == "__main__":
    bench_linking()
    bench_pages()
