"""Security headers, Content Security Policy, admin lockouts and readers' rate limits
(kryptowelt/core/security.py, docs/runbook.md)."""

from urllib.parse import urlsplit

from kryptowelt.settings.framework import MEDIA_STORAGE, MEDIA_URL, env

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
# POSTs to a signed unsubscribe/delete link (RFC 8058 one-click) count per link instead.
KRYPTOWELT_PUBLIC_POST_RATE = env.str("PUBLIC_POST_RATE", default="10/m")
# The admin login (and its password reset) has limits of its own, so readers' POSTs from a
# shared address never lock editors out: per user name and address, and per address.
KRYPTOWELT_ADMIN_LOGIN_RATE = env.str("ADMIN_LOGIN_RATE", default="10/m")
KRYPTOWELT_ADMIN_LOGIN_ADDRESS_RATE = env.str("ADMIN_LOGIN_ADDRESS_RATE", default="60/m")
RATELIMIT_IP_META_KEY = "kryptowelt.core.security.client_ip"
# The counters live in Redis; while it is away, readers' POSTs are not limited rather than all
# refused (the admin login keeps django-axes, which counts in the database).
RATELIMIT_FAIL_OPEN = True
