"""The admin's password reset, sending its mail as plain text plus HTML (Wagtail's view
sends plain text only). Registered in kryptowelt/urls.py ahead of Wagtail's own URL."""

from wagtail.admin.views.account import PasswordResetView as WagtailPasswordResetView


class PasswordResetView(WagtailPasswordResetView):
    html_email_template_name = "wagtailadmin/account/password_reset/email.html"
