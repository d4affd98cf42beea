"""Settings for pytest: fast hashing, tasks run inline, a throwaway media folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "newsletter"],
    }
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kryptowelt-test-media-"))
ALLOWED_HOSTS = ["*"]
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://kryptowelt-test")}
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL = WAGTAILADMIN_BASE_URL
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "WARNING"},
}
# Tests never reach the network: every markets test injects a fake transport; this address
# cannot resolve, so a forgotten one fails fast instead of calling CoinGecko.
COINGECKO_BASE_URL = "http://coingecko.invalid/api/v3"
COINGECKO_MAX_RETRIES = 0
# django-axes needs a request for every authenticate(); Client.login() has none. Tests of the
# lockout switch it on (kryptowelt/core/tests/test_security.py).
AXES_ENABLED = False
# Whole-page caching off, so each test sees what it just wrote; its own tests switch it on.
KRYPTOWELT_PAGE_CACHE_SECONDS = 0
KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 0
KRYPTOWELT_API_CACHE_SECONDS = 0
