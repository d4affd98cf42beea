"""HTTP caching: browsers, the caching proxies and their purges, the application's page and
fragment caches (kryptowelt/caching/, docs/architecture.md)."""

from kryptowelt.settings.framework import ALLOWED_HOSTS, env

# Browsers keep public pages briefly; shared caches (nginx, a CDN) longer, because publishing
# and unpublishing purge them. Search results are cached briefly and never purged.
KRYPTOWELT_CACHE_BROWSER_SECONDS = env.int("CACHE_BROWSER_SECONDS", default=60)
KRYPTOWELT_CACHE_SHARED_SECONDS = env.int("CACHE_SHARED_SECONDS", default=300)
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
