"""Operations: mail (EMAIL_URL), logging, health and readiness, metrics, request ids, error
reports (kryptowelt/ops, docs/runbook.md "Mail, Health, Fehler, Metriken"). The parsing of the
values lives in settings/ops.py."""

from kryptowelt.settings.framework import DATABASES, INSTALLED_APPS, MIDDLEWARE, env
from kryptowelt.settings.ops import (
    admin_addresses,
    allowed_networks,
    email_settings,
    log_format,
    mail_address,
    sentry_init,
)
from kryptowelt.settings.portal import MARKETS_STALE_AFTER_MINUTES

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
