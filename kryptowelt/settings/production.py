"""Production: everything secret or site-specific comes from the environment, and a missing
value stops the start with a message that names it (see .env.example and docs/runbook.md).

HTTPS is assumed (TLS ends at nginx or a load balancer in front of it, which sets
X-Forwarded-Proto). For trying the stack on plain http://127.0.0.1 (`make serve-production`)
the HTTPS-only switches are turned off through the environment, never in code."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

REQUIRED = {
    "SECRET_KEY": "ein langer Zufallswert, z. B. `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`",
    "ALLOWED_HOSTS": "die Hostnamen der Website, durch Kommas getrennt, z. B. www.kryptowelt.de",
    "SITE_URL": "die öffentliche Adresse, z. B. https://www.kryptowelt.de",
    "DATABASE_URL": "z. B. postgres://kryptowelt:PASSWORT@127.0.0.1:5432/kryptowelt",
    "CACHE_URL": "ein gemeinsamer Cache für alle App-Prozesse, z. B. redis://127.0.0.1:6379/1",
}


def _require(name: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"Umgebungsvariable {name} fehlt – {REQUIRED[name]} (siehe .env.example und "
            "docs/runbook.md)."
        )
    return value


for _name in REQUIRED:
    _require(_name)

DEBUG = False
SECRET_KEY = _require("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY ist zu kurz: mindestens 50 zufällige Zeichen.")

# --- HTTPS --------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Eligible for the browsers' preload list (submit the domain at hstspreload.org only when every
# subdomain speaks https); turn off with SECURE_HSTS_PRELOAD=false.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Behind nginx: the client address comes from the header nginx sets, not from the socket.
KRYPTOWELT_CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="HTTP_X_REAL_IP")

# --- Static files: hashed names, pre-compressed, cached for a year by WhiteNoise -------------
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,  # noqa: F405 - local disk or S3 (base.py)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
WHITENOISE_MAX_AGE = 3600  # unhashed names (favicon links from elsewhere); hashed: 10 years
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)

# --- Caching: whole pages in the shared application cache, purged on publish ------------------
KRYPTOWELT_PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)

# --- Logging: one line per event on stderr (journald / the container runtime collects it) ----
LOGGING["loggers"]["django.security"] = {"level": "WARNING"}  # noqa: F405
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # noqa: F405

# Ask browsers to fetch everything over https once the site is https-only.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = SECURE_SSL_REDIRECT  # noqa: F405
KRYPTOWELT_ADMIN_CONTENT_SECURITY_POLICY["upgrade-insecure-requests"] = SECURE_SSL_REDIRECT  # noqa: F405

# SQLite too keeps its connection per process (PostgreSQL does already, see base.py): opening
# it and running the PRAGMAs on every request costs more than many queries.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)  # noqa: F405
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
