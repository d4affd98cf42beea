"""Settings shared by every environment, composed from one module per concern (each reads
its values from the environment, documented in `.env.example`; dev.py, test.py and
production.py start from here):

- framework.py: Django and Wagtail (apps, middleware, database, cache, tasks, files)
- portal.py: the domain apps (newsroom, markets, WordPress import, Lexikon, API, newsletter,
  price alerts)
- security.py: security headers, CSP, lockouts, rate limits
- http_caching.py: browser, proxy and application caches, purges
- operations.py: mail, logging, health, metrics, error reports (it adds its middleware and
  app to the lists of framework.py)
"""

from kryptowelt.settings.framework import *  # noqa: F403
from kryptowelt.settings.http_caching import *  # noqa: F403
from kryptowelt.settings.operations import *  # noqa: F403
from kryptowelt.settings.portal import *  # noqa: F403
from kryptowelt.settings.security import *  # noqa: F403
