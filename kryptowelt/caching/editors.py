"""Who may skip the caches: editors with a verified editor cookie, nobody else.

Logged-in editors must see the live site, not a cached copy. A session cookie cannot tell
(anyone can send `Cookie: sessionid=x`, and checking it costs a database query), so the
admin gives every logged-in editor a second cookie, `kw_editor`, that both nginx and the
app verify without any lookup:

    kw_editor = <expires>.<base64url(md5("<expires>:<secret>"))>

nginx checks it with its `secure_link` module (deploy/nginx.conf) and bypasses its cache only
for a valid, unexpired one; the app checks the same (`is_editor`) before skipping its page
cache. The secret is `EDITOR_COOKIE_SECRET`, or else derived from `SECRET_KEY` the same way
deploy/render_nginx.py derives it. Design and limits: docs/decisions.md.

A session cookie alone changes nothing for caching. A request whose session cookie Django
cannot even parse would make Django delete that cookie (a Set-Cookie, so the page could not
be cached); on readers' GET requests such a cookie is ignored instead
(`ReaderSessionMiddleware`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time

from django.conf import settings

_FORMAT = re.compile(r"^([0-9]{1,12})\.([A-Za-z0-9_-]{22})$")
DERIVATION_LABEL = b"kryptowelt.editor-cookie"


def _is_admin(request) -> bool:
    return request.path_info.startswith(settings.KRYPTOWELT_ADMIN_PATH_PREFIX)


def editor_cookie_secret() -> str:
    configured = settings.KRYPTOWELT_EDITOR_COOKIE_SECRET
    if configured:
        return configured
    return derived_secret(settings.SECRET_KEY)


def derived_secret(secret_key: str) -> str:
    """The editor cookie secret for a SECRET_KEY (deploy/render_nginx.py does the same)."""
    return hmac.new(secret_key.encode(), DERIVATION_LABEL, hashlib.sha256).hexdigest()


def _digest(expires: int, secret: str) -> str:
    # MD5 because nginx's secure_link module computes exactly this; see docs/decisions.md.
    raw = hashlib.md5(f"{expires}:{secret}".encode()).digest()  # noqa: S324
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def editor_cookie_value(*, expires: int) -> str:
    return f"{expires}.{_digest(expires, editor_cookie_secret())}"


def editor_cookie_expires(request) -> int | None:
    """When the request's editor cookie expires, if it is valid and current."""
    value = request.COOKIES.get(settings.KRYPTOWELT_EDITOR_COOKIE_NAME, "")
    match = _FORMAT.match(value)
    if match is None:
        return None
    expires = int(match.group(1))
    if expires <= time.time():
        return None
    if not hmac.compare_digest(match.group(2), _digest(expires, editor_cookie_secret())):
        return None
    return expires


def is_editor(request) -> bool:
    """Whether the request comes from a logged-in editor (verified editor cookie)."""
    return editor_cookie_expires(request) is not None


class EditorCookieMiddleware:
    """In the admin: gives a logged-in editor the editor cookie (renewed when half of its
    time has passed) and takes it away after logging out. Placed after Django's
    AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _is_admin(request):
            return response
        name = settings.KRYPTOWELT_EDITOR_COOKIE_NAME
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            lifetime = settings.KRYPTOWELT_EDITOR_COOKIE_SECONDS
            expires = editor_cookie_expires(request)
            if expires is None or expires - time.time() < lifetime / 2:
                new_expires = int(time.time()) + lifetime
                response.set_cookie(
                    name,
                    editor_cookie_value(expires=new_expires),
                    max_age=lifetime,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        elif name in request.COOKIES:
            response.delete_cookie(name, samesite="Lax")
        return response


class ReaderSessionMiddleware:
    """On a reader's GET or HEAD outside the admin, a session cookie Django cannot parse is
    ignored instead of deleted, so that the page stays the same as everyone's and cacheable.
    Placed right after Django's SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = settings.SESSION_COOKIE_NAME
        if (
            request.method in ("GET", "HEAD")
            and name in request.COOKIES
            and not _is_admin(request)
            and request.session.session_key is None
        ):
            del request.COOKIES[name]
        return self.get_response(request)
