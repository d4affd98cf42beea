"""Security headers and abuse limits for every response (settings in settings/base.py).

- Content-Security-Policy via django-csp, with a separate policy for the Wagtail admin, which
  still needs inline scripts (documented in docs/runbook.md). Previews of pages keep the
  public policy but may be framed by our own admin (its preview panel).
- Permissions-Policy: one fixed header. Written here rather than adding a dependency for a
  single constant header.
- Rate limit on every POST from readers (django-ratelimit's counter), answered with the German
  429 page.
- The German lockout page for django-axes (too many failed admin logins).
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

RATE_LIMIT_GROUP = "kryptowelt:public-post"
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


class PublicPostRateLimitMiddleware:
    """Counts every POST (and other writes) from someone who is not logged in, per address;
    over the limit the view is not called at all. Logged-in editors are not limited: the admin
    posts often, and its login is guarded by django-axes and by this limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method not in ("GET", "HEAD", "OPTIONS")
        if (
            writes
            and not request.user.is_authenticated
            and is_ratelimited(
                request,
                group=RATE_LIMIT_GROUP,
                key="ip",
                rate=settings.KRYPTOWELT_PUBLIC_POST_RATE,
                method=is_ratelimited.ALL,
                increment=True,
            )
        ):
            return too_many_requests(request)
        return self.get_response(request)


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
