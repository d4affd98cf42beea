"""Admin: the newsletter lists (snippets) and, per edition, the page "Versand" with the log
(sent, failed, unsubscribed meanwhile, bounced), "Testversand an mich" and "Jetzt senden"
(a button in the edition's header). The preview mode "Als E-Mail" sits on the model."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kryptowelt.core.optin import AddressInvalid, address_normalise
from kryptowelt.newsletter.models import NewsletterEdition, NewsletterList
from kryptowelt.newsletter.selectors import edition_send_log
from kryptowelt.newsletter.sending import SendRefused, edition_send_start, edition_test_send
from kryptowelt.newsletter.tasks import edition_send_task


class NewsletterListViewSet(SnippetViewSet):
    model = NewsletterList
    icon = "mail"
    menu_label = "Newsletter-Listen"
    list_display = ("name", "slug", "active", "sort_order")


register_snippet(NewsletterListViewSet)


class EditionSendView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsletter/admin/edition_send.html"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.edition = get_object_or_404(NewsletterEdition, pk=kwargs["page_id"])
        if not self.edition.permissions_for_user(request.user).can_publish():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Versand: {self.edition.title}"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        log = edition_send_log(edition=self.edition)
        context.update(
            edition=self.edition,
            log=log,
            running=log.send is not None and log.send.finished_at is None,
            edit_url=reverse("wagtailadmin_pages:edit", args=(self.edition.pk,)),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("aktion")
        if action == "test":
            self._test(request)
        elif action == "senden":
            self._send(request)
        return redirect("newsletter_edition_send", self.edition.pk)

    def _test(self, request):
        try:
            address = address_normalise(request.user.email or "")
        except AddressInvalid:
            messages.error(request, "Ihr Benutzerkonto hat keine gültige E-Mail-Adresse.")
            return
        try:
            edition_test_send(edition=self.edition, address=address)
        except (OSError, ValueError) as error:
            messages.error(request, f"Der Testversand ist fehlgeschlagen: {error}")
            return
        messages.success(request, f"Testversand an {address} ist unterwegs.")

    def _send(self, request):
        try:
            send = edition_send_start(
                edition=self.edition, requested_by=request.user.get_username()
            )
        except SendRefused as refusal:
            messages.error(request, str(refusal))
            return
        if send.finished_at is not None:
            messages.info(request, "Diese Ausgabe ist bereits verschickt.")
            return
        edition_send_task.enqueue(send.pk)
        messages.success(
            request, "Der Versand läuft im Hintergrund; das Protokoll zeigt den Stand."
        )


@hooks.register("register_admin_urls")
def _urls():
    return [
        path(
            "newsletter/ausgabe/<int:page_id>/versand/",
            EditionSendView.as_view(),
            name="newsletter_edition_send",
        )
    ]


@hooks.register("register_page_header_buttons")
def _send_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, NewsletterEdition):
        yield Button(
            "Versand & Protokoll",
            reverse("newsletter_edition_send", args=(page.pk,)),
            icon_name="mail",
            priority=5,
        )
