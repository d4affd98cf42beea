"""The embedded default used by `make run`: no services, secrets kept under `var/`."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env


def _local_secret_key() -> str:
    """A random key generated once per checkout, so `make run` needs no configuration."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
