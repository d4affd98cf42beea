"""Scale you can see: 100,000 articles in PostgreSQL; search, section pages and sitemaps.

    make bench-scale        # 100,000 articles: hours on a busy 2-core machine (10,000: 26 min)
    .venv/bin/python benchmarks/scale_100k.py --articles 3000   # for development

1. Starts a throwaway PostgreSQL cluster of its own (scripts/pg-test-cluster.sh, in a new
   folder under /tmp, port --port, default 5479, so it never meets the unit suite's 5433),
   migrates, builds the site (kryptowelt.home.factories.site_create) and publishes one
   article per section through the service the admin and the importers use
   (news.services.article_create), as the reference.
2. Loads N generated articles (benchmarks/scale_corpus.py: 600–1,500 words of synthetic
   German crypto text; 4 sections, 40 authors, 55 topics, dates over eight years) in
   chunks: the page rows with their treebeard path/depth, url_path, a published revision
   per page (Wagtail's own serializable_data) set as latest and live revision, the publish
   log entries, authors and topics; then the search index through the configured Wagtail
   backend's own indexing (`add_bulk`, the code `update_index` and the publish task use:
   PostgreSQL full text, config "kryptowelt_german"), and ANALYZE. Checks that the tree is sound
   (treebeard find_problems), that a loaded article renders and is found by its title.
3. Measures through Django's test client in this process (no network, no proxy), with
   whole-page and fragment caching off and the shared and per-process caches cleared before
   every timed request, after one warm-up pass:
   - search p95 over 60 German queries (single words, two words, coin names, phrases, a
     few that match nothing), each asked REPEAT times;
   - section page p95: every section's page 1, 2, 10, 50 and last page;
   - sitemap: time to generate /sitemap.xml and every sitemap page it points to, the URL
     count of each page (must stay ≤ 50,000);
   and prints them with the load average of the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale_corpus import ArticleWriter, author_names, topic_names  # noqa: E402

SEARCH_QUERIES = [
    # single words, as readers type them
    "Bitcoin",
    "Ethereum",
    "Solana",
    "Regulierung",
    "Steuern",
    "Börse",
    "Boerse",
    "Wallet",
    "Sicherheit",
    "Halving",
    "Stablecoins",
    "Staking",
    "Mining",
    "Zentralbank",
    "Geldwäsche",
    "Kursrutsch",
    "Anleger",
    "Verwahrung",
    "Energieverbrauch",
    "Handelsgebühren",
    "Aufsicht",
    "Blockchain",
    "Hardware-Wallet",
    "Totalverlust",
    "Indexfonds",
    "Sparkassen",
    "Neobroker",
    # two words and more
    "Bitcoin ETF",
    "Ethereum Upgrade",
    "digitaler Euro",
    "Steuern Kryptowährungen",
    "Bitcoin Kurs",
    "Solana Gebühren",
    "Regulierung Stablecoins",
    "Cardano Staking",
    "Hardware Wallet Sicherheit",
    "Gewinne steuerfrei Haltedauer",
    "Börsenaufsicht Indexfonds",
    "private Schlüssel",
    "Europäische Zentralbank digitaler Euro",
    "Mining Stromverbrauch",
    # coin names and tickers
    "Dogecoin",
    "Litecoin",
    "Ripple",
    "Polkadot",
    "Chainlink",
    "Monero",
    "BTC",
    "ETH",
    "XRP",
    "Shiba",
    "Toncoin",
    # rarer words and near misses
    "MiCA",
    "Airdrops",
    "Derivate",
    "Reserven",
    "Betrugsmaschen",
    # nothing matches
    "Quantencomputer",
    "Blumenkohl",
    "Zugspitze Wetter",
    "xyzzy",
]
SECTION_PAGE_NUMBERS = (1, 2, 10, 50)
REPEAT = 3
SITEMAP_URL_LIMIT = 50_000


def cluster(action: str, folder: str, port: int) -> str:
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(ROOT / "scripts/pg-test-cluster.sh"), action, folder, str(port)],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="Anzahl der Artikel")
    parser.add_argument("--port", type=int, default=5479, help="Port des PostgreSQL-Clusters")
    parser.add_argument("--chunk", type=int, default=1000, help="Artikel je Schreibvorgang")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="Messungen je Anfrage")
    parser.add_argument("--seed", type=int, default=100_000)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="Cluster nach der Messung weiterlaufen lassen (Ordner und Adresse werden ausgegeben)",
    )
    parser.add_argument(
        "--database-url",
        help="Nichts laden, nur messen: eine mit --keep geladene Datenbank",
    )
    args = parser.parse_args(argv)
    if args.articles < 100:
        parser.error("--articles muss mindestens 100 sein.")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    folder = None
    if args.database_url:
        url = args.database_url
    else:
        folder = tempfile.mkdtemp(prefix="kw-scale-pg-")
        os.chmod(folder, 0o755)  # noqa: S103 - the postgres user must reach it (as test.sh)
        try:
            url = cluster("start", folder, args.port)
        except subprocess.CalledProcessError as error:
            print(f"PostgreSQL-Cluster ließ sich nicht starten:\n{error.stderr}", file=sys.stderr)
            return 2
    var_dir = tempfile.mkdtemp(prefix="kw-scale-var-")
    try:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "kryptowelt.settings.dev",
                "DATABASE_URL": url,
                "KRYPTOWELT_VAR_DIR": var_dir,
                "ALLOWED_HOSTS": "testserver",
                "SITE_URL": "http://testserver",
                "CACHE_URL": "locmemcache://kw-scale",
                "PAGE_CACHE_SECONDS": "0",
                "FRAGMENT_CACHE_SECONDS": "0",
                "LOG_LEVEL": "WARNING",
            }
        )
        import django

        django.setup()
        import scale_load
        import scale_measure

        print(f"# PostgreSQL {url} (Ordner {folder})", flush=True)
        if args.database_url:
            load = None
        else:
            load = scale_load.load_site(
                articles=args.articles,
                chunk=args.chunk,
                writer=ArticleWriter(args.seed),
                authors=author_names(40, random.Random(args.seed)),
                topics=topic_names(),
                start=datetime(2018, 12, 1, tzinfo=UTC),
                end=datetime.now(UTC) - timedelta(hours=1),
            )
        figures = scale_measure.measure(
            queries=SEARCH_QUERIES,
            section_pages=SECTION_PAGE_NUMBERS,
            repeat=args.repeat,
            sitemap_limit=SITEMAP_URL_LIMIT,
        )
        scale_measure.report(load=load, figures=figures, articles=args.articles)
        return 0 if figures["ok"] else 1
    finally:
        if folder and args.keep:
            print(f"# Cluster läuft weiter: {url}; beenden mit")
            print(f"#   scripts/pg-test-cluster.sh stop {folder}")
        elif folder:
            cluster("stop", folder, args.port)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
