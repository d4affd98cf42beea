"""Settings of the domain apps (newsroom, markets, WordPress import, Lexikon, „Meistgelesen“,
API, newsletter, price alerts), each block naming its app and docs page."""

from pathlib import Path

from kryptowelt.settings.framework import VAR_DIR, env

# --- Portal ---------------------------------------------------------------------------------
KRYPTOWELT_ARTICLES_PER_PAGE = 12
KRYPTOWELT_RELATED_LIMIT = 6
# Entries per list in the „Meistgelesen“ box (24 hours, 7 days).
KRYPTOWELT_MOST_READ_LIMIT = 5
KRYPTOWELT_PUBLISHER_NAME = "Kryptowelt"
# Loaders run by `kryptowelt demo`, in order, after the demo app has made the site (home page,
# sections, pillar pages); each gets that home page. Domain apps contribute their own
# (idempotent) loaders here and never import the demo app.
KRYPTOWELT_DEMO_LOADERS = [
    "kryptowelt.comparisons.loaders.load_providers",
    # After the providers: some demo articles hold comparison tables and provider boxes.
    "kryptowelt.demo.loaders.load_articles",
    "kryptowelt.markets.demo.load_market_samples",
    "kryptowelt.glossary.loaders.load_lexicon",
    "kryptowelt.guides.loaders.load_guides",
    "kryptowelt.newsletter.loaders.load_newsletter",
    "kryptowelt.alerts.loaders.load_alert_page",
    # Last: the related lists are computed over all articles loaded above.
    "kryptowelt.related.loaders.load_related",
]

# (dotted path, interval in seconds) for `kryptowelt scheduler`. Several schedulers (one per
# app node) share when each job is next due through the database, so each due job runs once
# (core/scheduling.py); a scheduler that dies mid-job holds it at most SCHEDULER_LEASE_SECONDS
# (or the job's interval, if longer).
KRYPTOWELT_SCHEDULER_LEASE_SECONDS = env.int("SCHEDULER_LEASE_SECONDS", default=900)
KRYPTOWELT_PERIODIC_JOBS = [
    ("kryptowelt.core.jobs.publish_scheduled_pages", 60),
    ("kryptowelt.core.jobs.reap_stuck_tasks", 60),
    ("kryptowelt.core.jobs.prune_task_results", 6 * 3600),
    ("kryptowelt.markets.jobs.refresh_prices", 300),
    ("kryptowelt.markets.jobs.refresh_history", 3600),
    ("kryptowelt.popular.jobs.count_article_views", env.int("VIEWS_COUNT_SECONDS", default=300)),
]

# Extra StreamField blocks for article bodies, contributed by domain apps:
# (block name, dotted path of the block class). Read by kryptowelt.core.blocks.body_blocks().
KRYPTOWELT_EXTRA_BODY_BLOCKS = [
    ("comparison_table", "kryptowelt.comparisons.blocks.ComparisonTableBlock"),
    ("provider_box", "kryptowelt.comparisons.blocks.ProviderBoxBlock"),
    ("price", "kryptowelt.markets.blocks.PriceBlock"),
]
# Blocks a section page can show above its articles (core.blocks.section_header_blocks).
KRYPTOWELT_SECTION_BLOCKS = [
    ("market_movers", "kryptowelt.markets.blocks.MarketMoversBlock"),
]

# --- Market data (kryptowelt.markets; see docs/markets.md) ------------------------------------
# The only place pages' prices come from; pages never call the API while rendering.
COINGECKO_BASE_URL = env.str("COINGECKO_BASE_URL", default="https://api.coingecko.com/api/v3")
COINGECKO_API_KEY = env.str("COINGECKO_API_KEY", default="")
# "demo" sends x-cg-demo-api-key, "pro" x-cg-pro-api-key; empty = pro for pro-api.coingecko.com.
COINGECKO_API_PLAN = env.str("COINGECKO_API_PLAN", default="")
COINGECKO_TIMEOUT = env.float("COINGECKO_TIMEOUT", default=10.0)
COINGECKO_MAX_RETRIES = env.int("COINGECKO_MAX_RETRIES", default=3)
COINGECKO_CALLS_PER_MINUTE = env.int("COINGECKO_CALLS_PER_MINUTE", default=25)
COINGECKO_IMAGE_HOSTS = env.list(
    "COINGECKO_IMAGE_HOSTS", default=["coin-images.coingecko.com", "assets.coingecko.com"]
)
# How many coins get a daily history sync, and how far back (CoinGecko's keyless/demo API
# serves at most 365 days; a pro key allows "max").
MARKETS_HISTORY_COINS = env.int("MARKETS_HISTORY_COINS", default=50)
MARKETS_HISTORY_DAYS = env.str("MARKETS_HISTORY_DAYS", default="365")
# Minutes after which pages say the prices are not current.
MARKETS_STALE_AFTER_MINUTES = env.int("MARKETS_STALE_AFTER_MINUTES", default=30)

# --- WordPress import (kryptowelt.wordpress; see docs/wordpress.md) --------------------------
# Section (slug) for posts whose categories match no section and no entry of the section map.
WORDPRESS_DEFAULT_SECTION = env.str("WORDPRESS_DEFAULT_SECTION", default="neuigkeiten")
# Largest media file taken over (bytes), from a media folder or downloaded.
WORDPRESS_MEDIA_MAX_BYTES = env.int("WORDPRESS_MEDIA_MAX_BYTES", default=25_000_000)
# --fetch-media: seconds before a download gives up; pause between two requests to one host.
WORDPRESS_FETCH_TIMEOUT = env.float("WORDPRESS_FETCH_TIMEOUT", default=15.0)
WORDPRESS_FETCH_INTERVAL = env.float("WORDPRESS_FETCH_INTERVAL", default=0.5)
# Export files uploaded in the admin (outside MEDIA_ROOT: they hold unpublished posts).
KRYPTOWELT_WORDPRESS_UPLOAD_DIR = Path(
    env.str("WORDPRESS_UPLOAD_DIR", default=str(VAR_DIR / "wordpress-imports"))
)
# Folders on the server below which the admin may name a copy of wp-content/uploads.
WORDPRESS_MEDIA_ROOT = Path(
    env.str("WORDPRESS_MEDIA_ROOT", default=str(VAR_DIR / "wordpress-media"))
)

# --- Krypto-Lexikon -------------------------------------------------------------------------
# At most this many automatic term links per article (the first mention of each term).
KRYPTOWELT_GLOSSARY_MAX_LINKS = env.int("KRYPTOWELT_GLOSSARY_MAX_LINKS", default=12)
# --- „Meistgelesen“ (kryptowelt.popular, docs/api.md) ----------------------------------------
# The view log nginx writes (deploy/nginx.conf): hour, status, bot/prefetch flag, path.
# The scheduler adds it to the hourly counts every VIEWS_COUNT_SECONDS and empties it.
KRYPTOWELT_VIEWS_LOG = env.str("VIEWS_LOG_FILE", default="") or str(VAR_DIR / "log" / "views.log")

# --- Public API (kryptowelt.api, docs/api.md) -------------------------------------------------
# Requests per client address (django-ratelimit syntax, count/period; empty = no limit).
KRYPTOWELT_API_RATE = env.str("API_RATE", default="120/m")
# API answers kept in the shared cache until a scope they read changes (0 = off).
KRYPTOWELT_API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=300)
# --- Newsletter (kryptowelt/newsletter, docs/newsletter.md) ---------------------------------
# Mails per second while an edition goes out (0 = as fast as the mail server takes them);
# mails per SMTP connection; how long a confirmation link stays valid; the sender.
KRYPTOWELT_NEWSLETTER_SEND_RATE = env.float("NEWSLETTER_SEND_RATE", default=20.0)
KRYPTOWELT_NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=100)
KRYPTOWELT_NEWSLETTER_CONFIRM_HOURS = env.int("NEWSLETTER_CONFIRM_HOURS", default=48)
KRYPTOWELT_NEWSLETTER_FROM = env.str(
    "NEWSLETTER_FROM", default="Kryptowelt Newsletter <newsletter@kryptowelt.example>"
)
# Optional second List-Unsubscribe target (mailto:…?subject=unsubscribe); empty: URL only.
KRYPTOWELT_NEWSLETTER_UNSUBSCRIBE_MAILTO = env.str("NEWSLETTER_UNSUBSCRIBE_MAILTO", default="")
KRYPTOWELT_PERIODIC_JOBS.append(("kryptowelt.newsletter.jobs.send_due_editions", 60))
# --- Price alerts (kryptowelt/alerts, issue 17) -------------------------------------------------
# Alerts per e-mail address (pending, active and paused together).
KRYPTOWELT_ALERTS_PER_ADDRESS = env.int("ALERTS_PER_ADDRESS", default=10)
# How long a confirmation link is valid; unconfirmed alerts are deleted after that.
KRYPTOWELT_ALERTS_CONFIRM_HOURS = env.int("ALERTS_CONFIRM_HOURS", default=48)
# An alert fires only on prices younger than this (default: the markets' "Nicht aktuell").
KRYPTOWELT_ALERTS_MAX_DATA_AGE_MINUTES = env.int(
    "ALERTS_MAX_DATA_AGE_MINUTES", default=MARKETS_STALE_AFTER_MINUTES
)
# A fired (paused) alert not re-armed within this many days is deleted.
KRYPTOWELT_ALERTS_PAUSED_KEEP_DAYS = env.int("ALERTS_PAUSED_KEEP_DAYS", default=90)
# Mails the alert form may cause to one address per hour (confirmation, "exists", limit).
KRYPTOWELT_ALERTS_MAILS_PER_ADDRESS_HOUR = env.int("ALERTS_MAILS_PER_ADDRESS_HOUR", default=5)
# --- Search (kryptowelt/search) -------------------------------------------------------------
# PostgreSQL search ranks at most this many of the newest matching articles (search/backend.py).
KRYPTOWELT_SEARCH_RANKED_NEWEST = env.int("SEARCH_RANKED_NEWEST", default=1000)
