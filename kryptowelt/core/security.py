"""Security headers and abuse limits for every response (settings in settings/security.py).

- Content-Security-Policy via django-csp, with a separate policy for the Wagtail admin, which
  still needs inline scripts (documented in docs/runbook.md). Previews of pages keep the
  public policy but may be framed by our own admin (its preview panel).
- Permissions-Policy: one fixed header. Written here rather than adding a dependency for a
  single constant header.
- Rate limits on POSTs from anyone not logged in (django-ratelimit's counters), separate for
  readers and for the admin login, answered with the German 429 page. A POST to a signed
  link that only unsubscribes or deletes (core/optin.py) counts per link, not per address.
- The German lockout page for django-axes (too many failed admin logins).
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from kryptowelt.core.optin import leave_link_key

RATE_LIMIT_GROUP = "kryptowelt:public-post"
LEAVE_LINK_GROUP = "kryptowelt:leave-link"
ADMIN_LOGIN_GROUP = "kryptowelt:admin-login"
ADMIN_ADDRESS_GROUP = "kryptowelt:admin-login-address"
RETRY_AFTER_SECONDS = 60


def client_ip(request) -> str:
    """The reader's address: from the header the trusted proxy sets, else from the socket."""
    header = settings.KRYPTOWELT_CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "")
        # X-Forwarded-For may hold a chain; the proxy appends the address it saw last.
        candidate = value.split(",")[-1].strip()
        if candidate:
            return candidate
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - only a counter key


def is_admin_path(path: str) -> bool:
    return path.startswith(settings.KRYPTOWELT_ADMIN_PATH_PREFIX)


def is_preview(request) -> bool:
    """A page rendered for the admin's preview: Wagtail renders it in a request of its own
    (path = the page's public URL) and marks that request."""
    return getattr(request, "is_preview", False) is True


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with the admin policy for everything under the admin prefix; a preview keeps
    the public policy, except that our own admin may frame it."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if is_preview(request):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        elif is_admin_path(request.path_info):
            parts.config = settings.KRYPTOWELT_ADMIN_CONTENT_SECURITY_POLICY
        return parts


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; X-Frame-Options SAMEORIGIN instead of DENY
    (settings.X_FRAME_OPTIONS) on previews, so the admin's preview panel can show them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if is_preview(request):
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response


def too_many_requests(request, *, retry_after: int = RETRY_AFTER_SECONDS):
    response = render(request, "errors/429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def admin_login_key(group, request) -> str:
    """The admin login's counter key: address and the user name tried (the password reset
    form names an e-mail address instead)."""
    name = request.POST.get("username") or request.POST.get("email") or ""
    return f"{client_ip(request)}:{name.strip().casefold()[:150]}"


class PublicPostRateLimitMiddleware:
    """Counts every POST (and other writes) from someone who is not logged in; over a limit
    the view is not called at all, and the German 429 page answers. Two separate limits:

    - readers (search, forms, the tax upload): `KRYPTOWELT_PUBLIC_POST_RATE` per address;
    - the admin login and its password reset: `KRYPTOWELT_ADMIN_LOGIN_RATE` per user name and
      address, and `KRYPTOWELT_ADMIN_LOGIN_ADDRESS_RATE` per address over all user names.

    So many readers behind one address (a newsroom's NAT) never lock its editors out, and
    login attempts never count against readers. A POST to a signed unsubscribe or delete
    link (RFC 8058 one-click, the alerts' delete links; core/optin.py) is counted per link
    with `KRYPTOWELT_PUBLIC_POST_RATE`, not per address: a shared mail gateway may POST
    thousands of unsubscribes from one address, and refusing them would keep mailing
    people who asked us to stop; one link hammered is still limited. django-axes locks a user name from an
    address after failed logins on top. Logged-in editors are not limited."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method not in ("GET", "HEAD", "OPTIONS")
        if writes and not request.user.is_authenticated and self.limited(request):
            return too_many_requests(request)
        return self.get_response(request)

    @staticmethod
    def limited(request) -> bool:
        if not is_admin_path(request.path_info):
            link = leave_link_key(request.path_info)
            if link is not None:
                limits = [
                    (
                        LEAVE_LINK_GROUP,
                        lambda group, request: link,
                        settings.KRYPTOWELT_PUBLIC_POST_RATE,
                    )
                ]
            else:
                limits = [(RATE_LIMIT_GROUP, "ip", settings.KRYPTOWELT_PUBLIC_POST_RATE)]
        else:
            limits = [
                (ADMIN_LOGIN_GROUP, admin_login_key, settings.KRYPTOWELT_ADMIN_LOGIN_RATE),
                (ADMIN_ADDRESS_GROUP, "ip", settings.KRYPTOWELT_ADMIN_LOGIN_ADDRESS_RATE),
            ]
        # Every limit counts the request, even when an earlier one already refuses it.
        results = [
            is_ratelimited(
                request, group=group, key=key, rate=rate, method=is_ratelimited.ALL, increment=True
            )
            for group, key, rate in limits
        ]
        return any(results)


def admin_lockout_response(request, original_response=None, credentials=None):
    """django-axes lockout: the admin login page again, with a German explanation, as 429."""
    from django.contrib import messages
    from django.template.response import TemplateResponse
    from wagtail.admin.views.account import LoginView

    hours = float(settings.AXES_COOLOFF_TIME)
    minutes = round(hours * 60)
    messages.error(
        request,
        "Zu viele fehlgeschlagene Anmeldeversuche. Aus Sicherheitsgründen ist die Anmeldung "
        f"für dieses Konto von Ihrem Anschluss aus für {minutes} Minuten gesperrt. Bitte "
        "versuchen Sie es später noch einmal oder wenden Sie sich an die Administration.",
    )
    view = LoginView()
    view.setup(request)
    context = view.get_context_data(form=view.get_form_class()(request))
    response = TemplateResponse(request, view.template_name, context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response.render()
