"""Settings shared by every environment. Everything configurable is read from the environment
(documented in `.env.example`); defaults give the embedded setup: SQLite in WAL mode under
`var/`, local-memory cache, database-backed tasks."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from kryptowelt.settings.ops import (
    admin_addresses,
    allowed_networks,
    email_settings,
    log_format,
    mail_address,
    sentry_init,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()
# A local .env file is a convenience for developers; the real environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("KRYPTOWELT_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "kryptowelt.users",
    "kryptowelt.images",
    "kryptowelt.caching",
    "kryptowelt.core",
    "kryptowelt.home",
    "kryptowelt.news",
    "kryptowelt.related",
    "kryptowelt.search",
    "kryptowelt.markets",
    "kryptowelt.comparisons",
    "kryptowelt.glossary",
    "kryptowelt.guides",
    "kryptowelt.calculators",
    "kryptowelt.alerts",
    "kryptowelt.popular",
    "kryptowelt.newsletter",
    "kryptowelt.api",
    "kryptowelt.wordpress",
    "kryptowelt.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # Outermost: has the last word on Cache-Control for every response (kryptowelt/caching).
    "kryptowelt.caching.http.CacheControlMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kryptowelt.core.security.SecurityHeadersMiddleware",
    "kryptowelt.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # utm_source, fbclid & co. are gone before any view or cache sees the query.
    "kryptowelt.caching.http.TrackingParametersMiddleware",
    # Old WordPress addresses by ID (/?p=123): 301 before the home page answers them.
    "kryptowelt.wordpress.middleware.WordPressQueryRedirectMiddleware",
    # Serves whole anonymous pages from the shared cache; everything below is skipped on a hit.
    "kryptowelt.caching.pages.PageCacheMiddleware",
    # Hands Wagtail the page a URL led to before, while content stayed the same.
    "kryptowelt.caching.routes.RouteCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # A reader's unparseable session cookie is ignored on GET, not deleted (caching/editors.py).
    "kryptowelt.caching.editors.ReaderSessionMiddleware",
    # No LocaleMiddleware: the site has one language, and its `Vary: Accept-Language` would
    # split every cached page into one copy per browser language.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logged-in editors get the signed cookie that lets them past nginx's and the app's caches.
    "kryptowelt.caching.editors.EditorCookieMiddleware",
    "kryptowelt.core.security.PublicPostRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the German lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kryptowelt.urls"
WSGI_APPLICATION = "kryptowelt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "kryptowelt.core.context_processors.site_chrome",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kryptowelt.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers and the background worker run alongside a writer;
            # IMMEDIATE transactions avoid "database is locked" upgrades under load.
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=5000;"
                "PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# A connection pooler between the app and PostgreSQL. pgbouncer in transaction mode hands each
# transaction to any server connection, so the cursor `.iterator()` declares in one may be gone
# in the next: server-side cursors off (kryptowelt/e2e/tests/test_pgbouncer.py shows both).
DATABASE_POOLER = env.str("DATABASE_POOLER", default="").strip().lower()
if DATABASE_POOLER not in ("", "pgbouncer"):
    raise ImproperlyConfigured(
        f"DATABASE_POOLER={DATABASE_POOLER!r} ist unbekannt: leer lassen oder „pgbouncer“ "
        "(pgbouncer im Transaktionsmodus vor PostgreSQL, siehe .env.example)."
    )
if DATABASE_POOLER == "pgbouncer":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"

# --- Cache ----------------------------------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://kryptowelt")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's backend behind a circuit breaker: a dead or hung Redis is a cache miss after
    # one short timeout per CACHE_RETRY_SECONDS and process (see caching/redis.py).
    CACHES["default"]["BACKEND"] = "kryptowelt.caching.redis.RedisCache"
    _cache_options = CACHES["default"].setdefault("OPTIONS", {})
    _cache_options.setdefault("socket_timeout", env.float("CACHE_TIMEOUT", default=0.5))
    _cache_options.setdefault("socket_connect_timeout", _cache_options["socket_timeout"])
    _cache_options.setdefault("retry_seconds", env.float("CACHE_RETRY_SECONDS", default=10.0))

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
# `kryptowelt worker` writes a heartbeat this often; a worker silent for WORKER_DEAD_AFTER
# seconds is dead, and the tasks it left RUNNING go back into the queue, as do tasks that
# failed on a locked database (at most TASK_MAX_ATTEMPTS tries in all, then they fail).
# Tasks of a worker that sends no heartbeat (a plain db_worker) count as stuck after
# TASK_STUCK_SECONDS. Finished task results are deleted after TASK_RESULTS_KEEP_DAYS
# (periodic jobs in core/jobs.py).
KRYPTOWELT_WORKER_HEARTBEAT_SECONDS = env.float("WORKER_HEARTBEAT_SECONDS", default=10.0)
KRYPTOWELT_WORKER_DEAD_AFTER_SECONDS = env.int("WORKER_DEAD_AFTER_SECONDS", default=60)
KRYPTOWELT_TASK_STUCK_SECONDS = env.int("TASK_STUCK_SECONDS", default=3600)
KRYPTOWELT_TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=3)
KRYPTOWELT_TASK_RESULTS_KEEP_DAYS = env.int("TASK_RESULTS_KEEP_DAYS", default=14)

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses logins from locked-out clients before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Passwords ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time, formats ---------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]
USE_THOUSAND_SEPARATOR = True

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# The embedded setup serves uploaded media from the app; production lets nginx do it.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# Uploaded media (images, their renditions, documents): on the local disk (MEDIA_ROOT), or
# with MEDIA_STORAGE=s3 in an S3-compatible object store shared by every app node (AWS S3,
# MinIO, Ceph, Hetzner Object Storage …; tested against moto's S3 server), read by readers
# straight from the store or a CDN in front of it (MEDIA_PUBLIC_URL). docs/runbook.md.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")


def _missing(name: str, what: str):
    raise ImproperlyConfigured(f"Umgebungsvariable {name} fehlt – {what} (siehe .env.example).")


def media_storage_backend() -> tuple[dict, str | None]:
    """The storage of uploaded media from the environment, and the readers' address of
    the files when it is not MEDIA_URL (the bucket's public URL)."""
    if env.str("MEDIA_STORAGE", default="local") != "s3":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, None
    public = urlsplit(env.str("MEDIA_PUBLIC_URL", default=""))
    backend = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET", default="")
            or _missing("S3_BUCKET", "der Bucket für Bilder und Dokumente bei MEDIA_STORAGE=s3"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("S3_PREFIX", default=""),
            # Public images: plain, stable URLs (cacheable by browsers and CDNs), no
            # signatures that expire inside cached pages.
            "querystring_auth": env.bool("S3_QUERYSTRING_AUTH", default=False),
            "default_acl": env.str("S3_DEFAULT_ACL", default="") or None,
            # Two nodes uploading "bild.jpg" at once must not overwrite each other.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=2592000"},
            # Readers' address of the bucket, e.g. https://media.kryptowelt.de or
            # https://s3.example.com/kryptowelt-media (unset: the endpoint's own URL).
            "custom_domain": (public.netloc + public.path.rstrip("/")) or None,
            "url_protocol": f"{public.scheme or 'https'}:",
        },
    }
    return backend, (public.geturl().rstrip("/") + "/") if public.netloc else None


MEDIA_STORAGE_BACKEND, _media_public_url = media_storage_backend()
MEDIA_URL = _media_public_url or MEDIA_URL
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Kryptowelt"
WAGTAILADMIN_BASE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_URL = WAGTAILADMIN_BASE_URL
# nginx forwards the host name without the port a client typed (deploy/nginx.conf), so on a
# non-standard port (`make serve-production`: 127.0.0.1:8080) the browser's Origin differs
# from what Django sees; the public address is always a trusted origin.
_site_origin = "://".join(urlsplit(SITE_URL)[:2])
if _site_origin not in CSRF_TRUSTED_ORIGINS:
    CSRF_TRUSTED_ORIGINS = [*CSRF_TRUSTED_ORIGINS, _site_origin]
# A failed CSRF check: the German page in the site's look (kryptowelt/core/errors.py).
CSRF_FAILURE_VIEW = "kryptowelt.core.errors.csrf_failure"
WAGTAILIMAGES_IMAGE_MODEL = "images.CustomImage"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch")]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
# The login form with a German label for the password (Wagtail's has none: "Password").
WAGTAILADMIN_USER_LOGIN_FORM = "kryptowelt.core.admin_forms.LoginForm"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "jpeg", "webp": "webp"}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx", "odt", "docx"]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend; on PostgreSQL with page searches the GIN index answers
        # (kryptowelt/search/backend.py).
        "BACKEND": "kryptowelt.search.backend",
        # Used by the PostgreSQL backend (its text search configuration "german"); SQLite ignores it and relies on our own German
        # normalisation (see kryptowelt.search.analysis).
        "SEARCH_CONFIG": "german",
    }
}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_MODERATION_ENABLED = True

# --- Email (see kryptowelt/settings/ops.py for the EMAIL_URL schemes) ------------------------
# EMAIL_URL (smtp://, smtp+tls://, smtp+ssl://, consolemail://, filemail://, memorymail://)
# wins; without it the older EMAIL_BACKEND is still read (console by default), so existing
# environments keep working. A malformed value stops the start with a German message.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default="").strip():
    globals().update(email_settings(env.str("EMAIL_URL").strip()))
# Seconds before a hung mail server gives up (a request sending a password reset waits).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = mail_address(
    "DEFAULT_FROM_EMAIL",
    env.str("DEFAULT_FROM_EMAIL", default="Kryptowelt <redaktion@kryptowelt.example>"),
)
# Operators who get a mail for every unhandled error (500); empty = the log only.
# "ops@example.de, Anna Admin <anna@example.de>".
ADMINS = admin_addresses(env.str("ADMINS", default=""))
# Sender of error mails to ADMINS (default: DEFAULT_FROM_EMAIL).
SERVER_EMAIL = mail_address(
    "SERVER_EMAIL", env.str("SERVER_EMAIL", default="") or DEFAULT_FROM_EMAIL
)
EMAIL_SUBJECT_PREFIX = env.str("EMAIL_SUBJECT_PREFIX", default="[Kryptowelt] ")
# Wagtail's notices (submitted for review, approved, changes requested): plain text plus an
# HTML alternative, sent from DEFAULT_FROM_EMAIL, to the reviewers' group (and superusers).
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = env.bool("NOTIFY_SUPERUSERS", default=True)

# --- Logging --------------------------------------------------------------------------------
# Every unhandled error (the 500 page) is logged with its traceback on stderr (journald, the
# container runtime) and mailed to ADMINS when there are any; the 500 page says so.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Instead of Django's default handlers on "django" (which mail every django.security
        # error, e.g. each too large upload): mail only unhandled errors of requests.
        "django": {"level": "INFO", "handlers": []},
        "django.request": {"level": "ERROR", "handlers": ["mail_admins"]},
        # One line per HTTP request of the market sync is noise; failures are logged by us.
        "httpx": {"level": "WARNING"},
    },
}

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

# --- Security headers, abuse limits (see kryptowelt/core/security.py, docs/runbook.md) --------
# The client address for lockouts and rate limits. Behind nginx the app sees nginx's address,
# so production reads the header nginx sets (X-Real-IP); never trust it without a proxy.
KRYPTOWELT_CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Nothing may frame our pages; previews may be framed by our own admin (its preview panel).
X_FRAME_OPTIONS = "DENY"
# Features no page of ours uses; embeds may still ask for fullscreen (their allow attribute).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
_CSP_COMMON = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


# Public pages: no inline script or style at all (the error pages link the site's stylesheet
# too). Embeds (iframes) load only after a click and only over https.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "frame-src": ["https:"],
        "frame-ancestors": ["'none'"],
        "upgrade-insecure-requests": env.bool("SECURE_SSL_REDIRECT", default=False),
    }
}
# The Wagtail admin still ships inline <script> elements (inline panels, date pickers), so
# /admin/ gets its own, looser policy: inline scripts and styles allowed, still no eval, no
# third-party hosts, framed only by itself (the preview panel).
KRYPTOWELT_ADMIN_PATH_PREFIX = "/admin/"
KRYPTOWELT_ADMIN_CONTENT_SECURITY_POLICY = {
    **_CSP_COMMON,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'", "https:"],
    "frame-ancestors": ["'self'"],
    "upgrade-insecure-requests": env.bool("SECURE_SSL_REDIRECT", default=False),
}
# Media in object storage: images load from the store's (or its CDN's) address.
if MEDIA_STORAGE == "s3":
    _media_origin = "://".join(
        urlsplit(MEDIA_URL if "://" in MEDIA_URL else env.str("S3_ENDPOINT_URL", default=""))[:2]
    )
    for _policy in (
        CONTENT_SECURITY_POLICY["DIRECTIVES"],
        KRYPTOWELT_ADMIN_CONTENT_SECURITY_POLICY,
    ):
        _policy["img-src"] = [*_policy["img-src"], _media_origin or "https://*.amazonaws.com"]

# django-axes: lock a username from one address out after repeated failed admin logins.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kryptowelt.core.security.admin_lockout_response"
AXES_CLIENT_IP_CALLABLE = "kryptowelt.core.security.client_ip"
AXES_VERBOSE = False

# Every POST from a reader (not a logged-in editor, not the admin login) counts against this
# per-address limit; beyond it the German 429 page answers (django-ratelimit: count/period).
KRYPTOWELT_PUBLIC_POST_RATE = env.str("PUBLIC_POST_RATE", default="10/m")
# The admin login (and its password reset) has limits of its own, so readers' POSTs from a
# shared address never lock editors out: per user name and address, and per address.
KRYPTOWELT_ADMIN_LOGIN_RATE = env.str("ADMIN_LOGIN_RATE", default="10/m")
KRYPTOWELT_ADMIN_LOGIN_ADDRESS_RATE = env.str("ADMIN_LOGIN_ADDRESS_RATE", default="60/m")
RATELIMIT_IP_META_KEY = "kryptowelt.core.security.client_ip"
# The counters live in Redis; while it is away, readers' POSTs are not limited rather than all
# refused (the admin login keeps django-axes, which counts in the database).
RATELIMIT_FAIL_OPEN = True

# --- HTTP caching (see kryptowelt/caching/) --------------------------------------------------
# Browsers keep public pages briefly; shared caches (nginx, a CDN) longer, because publishing
# and unpublishing purge them. Search results are cached briefly and never purged.
KRYPTOWELT_CACHE_BROWSER_SECONDS = env.int("CACHE_BROWSER_SECONDS", default=60)
KRYPTOWELT_CACHE_SHARED_SECONDS = env.int("CACHE_SHARED_SECONDS", default=300)
# PostgreSQL search ranks at most this many of the newest matching articles (search/backend.py).
KRYPTOWELT_SEARCH_RANKED_NEWEST = env.int("SEARCH_RANKED_NEWEST", default=1000)
KRYPTOWELT_CACHE_SEARCH_SECONDS = env.int("CACHE_SEARCH_SECONDS", default=60)
# Pages that show prices (they read the markets scope): about as long as a sync interval.
KRYPTOWELT_CACHE_MARKETS_SECONDS = env.int("CACHE_MARKETS_SECONDS", default=60)
# Expensive parts of pages ({% kw_fragment %}: article bodies, related articles, head metadata)
# kept in the shared cache until a scope they read changes (0 = off).
KRYPTOWELT_FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=600)
# Whole anonymous pages kept in the application cache (0 = off), until a scope they read
# changes (every publish; a market sync for pages that show prices).
KRYPTOWELT_PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
# Only a logged-in editor skips the caches: the admin sets this cookie, signed so that nginx
# (secure_link) and the app verify it without a lookup (caching/editors.py). The secret is
# shared with nginx (deploy/render_nginx.py); unset, both derive it from SECRET_KEY.
KRYPTOWELT_EDITOR_COOKIE_NAME = "kw_editor"
KRYPTOWELT_EDITOR_COOKIE_SECRET = env.str("EDITOR_COOKIE_SECRET", default="")
KRYPTOWELT_EDITOR_COOKIE_SECONDS = env.int("EDITOR_COOKIE_SECONDS", default=12 * 3600)
# Per app process: fragments, navigation, routes and pages while what they show is current,
# kept in memory in front of the shared cache (caching/memory.py).
KRYPTOWELT_PROCESS_MEMORY_BYTES = env.int("PROCESS_MEMORY_BYTES", default=32 * 1024 * 1024)

# Wagtail front-end cache invalidation: on publish and unpublish, purge the article, its
# sections, tags, feeds, sitemaps and the home page from the caching proxies (nginx PURGE).
# FRONTEND_CACHE_PURGE_URLS lists, comma-separated, where each nginx cache accepts PURGE
# (http://10.0.0.11/__purge,http://10.0.0.12/__purge): one backend per cache, each purged on
# its own, so a dead one is logged and does not keep the others stale. The older single
# FRONTEND_CACHE_PURGE_URL still works (added to the list). FRONTEND_CACHE_HOSTS: the host
# names readers use (default: ALLOWED_HOSTS).


def frontend_cache_purge_targets() -> list[str]:
    """The PURGE addresses from the environment, without repeats, in the order given."""
    targets = [*env.list("FRONTEND_CACHE_PURGE_URLS", default=[])]
    targets.append(env.str("FRONTEND_CACHE_PURGE_URL", default=""))
    return list(dict.fromkeys(target.strip() for target in targets if target.strip()))


def frontend_cache_backends(targets: list[str], hosts: list[str]) -> dict[str, dict]:
    """WAGTAILFRONTENDCACHE with one NginxPurgeBackend per target ("nginx", "nginx-2", …)."""
    return {
        "nginx" if number == 1 else f"nginx-{number}": {
            "BACKEND": "kryptowelt.caching.purge.NginxPurgeBackend",
            "LOCATION": target,
            "HOSTS": hosts,
        }
        for number, target in enumerate(targets, start=1)
    }


if frontend_cache_purge_targets():
    WAGTAILFRONTENDCACHE = frontend_cache_backends(
        frontend_cache_purge_targets(), env.list("FRONTEND_CACHE_HOSTS", default=ALLOWED_HOSTS)
    )

# No avatars from gravatar.com in the admin: no request to a third-party host, anywhere.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Operations: health, metrics, request ids, error reports (kryptowelt/ops, docs/runbook.md
# "Mail, Health, Fehler, Metriken") -------------------------------------------------------------
INSTALLED_APPS.insert(INSTALLED_APPS.index("kryptowelt.core") + 1, "kryptowelt.ops")
MIDDLEWARE[:0] = [
    # Outermost: the request id for every log line, the metrics for every answer, and
    # /healthz, /readyz, /metrics answered before any cache, session or Redis counter.
    "kryptowelt.ops.logs.RequestIdMiddleware",
    "kryptowelt.ops.middleware.MetricsMiddleware",
    "kryptowelt.ops.middleware.OpsEndpointsMiddleware",
]
# PostgreSQL: give up connecting after a few seconds, so /readyz answers while it is away.
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=3)
    )
# Newest data per kind: name → function returning its time (domain apps register here).
KRYPTOWELT_READINESS_TIMES = [
    ("market_data", "kryptowelt.markets.health.market_data_updated_at"),
    ("market_sync", "kryptowelt.markets.health.market_sync_succeeded_at"),
]
# Seconds after which /readyz calls a check failed (a name not listed: only reported).
KRYPTOWELT_READINESS_AGES = {
    "tasks": env.int("READY_TASK_MAX_AGE", default=600),
    "market_data": env.int("READY_MARKET_DATA_MAX_AGE", default=MARKETS_STALE_AFTER_MINUTES * 60),
}
# Checks whose failure makes /readyz answer 503 (the rest are reported only).
KRYPTOWELT_READINESS_REQUIRED = env.list(
    "READY_REQUIRED", default=["database", "cache", "migrations", "tasks", "market_data"]
)
# Who may read /metrics (CIDR; the proxy in front, nginx on 127.0.0.1, too). Others get 404.
METRICS_ALLOWED_IPS = allowed_networks(
    env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1/32", "::1/128"])
)
# LOG_FORMAT=json: one JSON object per line; plain (default): one readable line. Both carry
# the request id (X-Request-ID from nginx, or a new one).
LOGGING["filters"]["request_id"] = {"()": "kryptowelt.ops.logs.RequestIdFilter"}
LOGGING["formatters"]["plain"]["format"] = (
    "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
)
LOGGING["formatters"]["json"] = {"()": "kryptowelt.ops.logs.JsonFormatter"}
LOGGING["handlers"]["console"]["filters"] = ["request_id"]
LOGGING["handlers"]["console"]["formatter"] = log_format(env.str("LOG_FORMAT", default="plain"))
# Error mails in German, without Django's debug page (kryptowelt/ops/mail.py).
LOGGING["handlers"]["mail_admins"]["class"] = "kryptowelt.ops.mail.AdminEmailHandler"
LOGGING["handlers"]["mail_admins"]["filters"] = ["require_debug_false", "request_id"]
# Sentry, when SENTRY_DSN is set: unhandled errors with their traceback, no personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
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
