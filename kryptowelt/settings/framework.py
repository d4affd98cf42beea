"""Django and Wagtail themselves: apps, middleware, database, cache, tasks, language, files,
Wagtail. Read from the environment (documented in `.env.example`); defaults give the embedded
setup: SQLite in WAL mode under `var/`, local-memory cache, database-backed tasks."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

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
# Queues: "default" for everything, "newsletter" for edition sends (its own, niced worker:
# deploy/systemd/kryptowelt-sender.service).
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "newsletter"],
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
        # The PostgreSQL backend's text search configuration: German Snowball stems without a
        # stop-word list (kw_search migration 0002; PostgreSQL's "german" dropped "sich", the
        # stem of "Sicherheit"). SQLite ignores it and relies on our own German normalisation
        # (see kryptowelt.search.analysis).
        "SEARCH_CONFIG": "kryptowelt_german",
    }
}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_MODERATION_ENABLED = True
