"""What /newsletter/ and its editions show, and the reader's links from the mails.

No reader cookie anywhere: the sign-up and the links from mails are CSRF-exempt routes. A
forged sign-up can do no more than a typed one (a confirmation mail, which the owner of the
address must click; one per address every ten minutes), cross-site form posts are refused
(core/optin.py: Origin, Sec-Fetch-Site), and every reader POST counts against
PUBLIC_POST_RATE (core/security.py) – except a POST to an unsubscribe link, which mail
programs send without a form (RFC 8058) and which is counted per link instead.
Pages behind a signed link are personal: never cached, never indexed."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt

from kryptowelt.core.optin import AddressInvalid, address_normalise, cross_site_post
from kryptowelt.core.page_views import page_context, route_view
from kryptowelt.newsletter import feeds
from kryptowelt.newsletter.models import (
    NewsletterEdition,
    NewsletterIndexPage,
    NewsletterList,
)
from kryptowelt.newsletter.selectors import (
    articles_by_ids,
    edition_archive_list,
    edition_article_ids,
    edition_is_sent,
    edition_market_moves,
    newsletter_list_choices,
    subscriber_get,
)
from kryptowelt.newsletter.sending import edition_mail_for
from kryptowelt.newsletter.services import subscriber_confirm, subscriber_delete, subscriber_request
from kryptowelt.newsletter.tasks import confirmation_mail_send, data_mail_send
from kryptowelt.newsletter.tokens import CONFIRM, DATA, UNSUBSCRIBE, BadToken, address_from_token

MAX_LISTS = 50
MESSAGE_TEMPLATE = "newsletter/message.html"


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _status(response, status: int):
    response.status_code = status
    return response


def _message(request, page, *, title: str, text: str, status: int = 200, **extra):
    """A short German answer in the site's look, personal: never cached."""
    context = {"message_title": title, "message_text": text, **extra}
    context.setdefault("extra_crumbs", [(title, request.path)])
    response = page.render(request, template=MESSAGE_TEMPLATE, context_overrides=context)
    return _private(_status(response, status))


# --- the page ------------------------------------------------------------------------------


@page_context(NewsletterIndexPage)
def _index_context(page, request, *args, **kwargs):
    return {"newsletter_lists": newsletter_list_choices()}


@route_view(NewsletterIndexPage, "index")
def index(request, page):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return page.render(request, context_overrides={"editions": edition_archive_list(index=page)})


@route_view(NewsletterIndexPage, "subscribed")
def subscribed(request, page):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return page.render(
        request,
        template=MESSAGE_TEMPLATE,
        context_overrides={
            "message_title": "Bitte bestätigen Sie Ihre Anmeldung",
            "message_text": (
                "Falls diese Adresse noch nicht für den Newsletter bestätigt ist, haben wir "
                "Ihnen gerade eine E-Mail mit einem Bestätigungslink geschickt. Erst wenn Sie "
                "darauf klicken, erhalten Sie den Newsletter. Keine E-Mail angekommen? Bitte "
                "sehen Sie im Spam-Ordner nach."
            ),
            "extra_crumbs": [("Anmeldung", request.path)],
        },
    )


def _chosen_lists(request) -> list[NewsletterList] | None:
    raw = request.POST.getlist("liste")[:MAX_LISTS]
    if not raw:
        active = newsletter_list_choices()
        # A form with a single list (home page, articles) may leave the choice implicit.
        return active[:1] if len(active) == 1 else []
    slugs = {value for value in raw if isinstance(value, str) and len(value) <= 80}
    lists = list(NewsletterList.objects.filter(active=True, slug__in=slugs))
    return lists if len(lists) == len(slugs) else None


@route_view(NewsletterIndexPage, "subscribe")
@csrf_exempt
def subscribe(request, page):
    if request.method in ("GET", "HEAD"):
        return HttpResponseRedirect(page.url)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    if cross_site_post(request):
        return _message(
            request,
            page,
            title="Anmeldung nicht möglich",
            text="Dieses Formular kann nur auf unserer eigenen Seite abgeschickt werden.",
            status=403,
        )
    errors = []
    address = ""
    try:
        address = address_normalise(request.POST.get("email", ""))
    except AddressInvalid as error:
        errors.append(str(error))
    lists = _chosen_lists(request)
    if lists is None:
        errors.append("Bitte wählen Sie nur Listen aus dem Formular.")
    elif not lists:
        errors.append("Bitte wählen Sie mindestens eine Liste.")
    if errors:
        response = page.render(
            request,
            context_overrides={
                "editions": edition_archive_list(index=page),
                "form_errors": errors,
                "form_email": request.POST.get("email", "")[:300]
                .replace("\r", "")
                .replace("\n", ""),
            },
        )
        return _private(_status(response, 400))
    subscriber_request(address=address, lists=lists)
    # Always queued, whatever the address's state: the answer must not tell them apart.
    confirmation_mail_send.enqueue(address)
    return HttpResponseRedirect(page.url + page.reverse_subpage("subscribed"), status=303)


# --- links from mails ----------------------------------------------------------------------


def _token_address(request, page, token: str, purpose: str):
    """(address, None) or (None, German error page)."""
    try:
        return address_from_token(token=token, purpose=purpose), None
    except BadToken as bad:
        if not bad.expired:
            return None, _invalid_link(request, page)
        return None, _message(
            request,
            page,
            title="Link abgelaufen",
            text=(
                "Dieser Bestätigungslink ist abgelaufen. Bitte melden Sie sich erneut an; "
                "Sie erhalten dann einen neuen Link."
            ),
            status=410,
        )


def _invalid_link(request, page):
    return _message(
        request,
        page,
        title="Link ungültig",
        text=(
            "Dieser Link ist ungültig oder unvollständig. Bitte kopieren Sie ihn vollständig "
            "aus der E-Mail oder melden Sie sich erneut an."
        ),
        status=400,
    )


@route_view(NewsletterIndexPage, "confirm")
@csrf_exempt
def confirm(request, page, token):
    """GET shows a button (mail scanners open links); the POST of the button confirms."""
    address, error = _token_address(request, page, token, CONFIRM)
    if error is not None:
        return error
    if request.method == "POST":
        outcome = subscriber_confirm(address=address)
    elif request.method in ("GET", "HEAD"):
        subscriber = subscriber_get(address=address)
        outcome = (
            "unknown" if subscriber is None else ("already" if subscriber.confirmed_at else "ask")
        )
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    texts = {
        "ask": (
            "Anmeldung bestätigen",
            "Bitte bestätigen Sie, dass Sie den Kryptowelt-Newsletter an diese Adresse erhalten möchten.",
            "Anmeldung bestätigen",
        ),
        "confirmed": (
            "Anmeldung bestätigt",
            "Vielen Dank! Ihre Anmeldung ist bestätigt. Sie erhalten ab der nächsten Ausgabe unseren Newsletter; abmelden können Sie sich mit einem Klick in jeder E-Mail.",
            "",
        ),
        "already": (
            "Bereits bestätigt",
            "Ihre Anmeldung war schon bestätigt – es hat sich nichts geändert. Sie erhalten den Newsletter weiterhin.",
            "",
        ),
        "unknown": (
            "Anmeldung nicht gefunden",
            "Zu diesem Link gibt es keine offene Anmeldung mehr (vielleicht haben Sie sich inzwischen abgemeldet, oder die Anmeldung war zu alt). Bitte melden Sie sich erneut an.",
            "",
        ),
    }
    title, text, button = texts[outcome]
    return _message(request, page, title=title, text=text, button=button, address=address)


@route_view(NewsletterIndexPage, "unsubscribe")
@csrf_exempt
def unsubscribe(request, page, token):
    """GET asks (mail scanners must not unsubscribe anyone); POST deletes – with the button
    or as the mail program's one-click POST (body List-Unsubscribe=One-Click)."""
    address, error = _token_address(request, page, token, UNSUBSCRIBE)
    if error is not None:
        return error
    if request.method in ("GET", "HEAD"):
        return _message(
            request,
            page,
            title="Vom Newsletter abmelden",
            text="Möchten Sie sich vom Kryptowelt-Newsletter abmelden? Ihre Adresse wird dabei gelöscht.",
            button="Jetzt abmelden",
            address=address,
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    subscriber_delete(address=address)
    return _message(
        request,
        page,
        title="Abgemeldet",
        text=(
            "Sie sind abgemeldet. Wir haben Ihre Adresse und Ihre Listen gelöscht und schicken "
            "Ihnen keinen Newsletter mehr."
        ),
    )


@route_view(NewsletterIndexPage, "data")
@csrf_exempt
def data(request, page, token):
    """ "Meine Daten": GET asks, POST sends everything we store to the address itself."""
    address, error = _token_address(request, page, token, DATA)
    if error is not None:
        return error
    if request.method in ("GET", "HEAD"):
        return _message(
            request,
            page,
            title="Meine Daten",
            text=(
                "Wir schicken Ihnen alles, was wir zu Ihrer Adresse gespeichert haben, per E-Mail "
                "an diese Adresse – mit einem Link, um alles zu löschen."
            ),
            button="Daten per E-Mail anfordern",
            address=address,
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    data_mail_send.enqueue(address)
    return _message(
        request,
        page,
        title="Meine Daten",
        text=(
            "Falls zu dieser Adresse etwas gespeichert ist, ist die E-Mail mit Ihren Daten "
            "unterwegs."
        ),
    )


@route_view(NewsletterIndexPage, "feed_atom")
def feed_atom(request, page):
    return feeds.EditionAtomFeed()(request, index=page)


@route_view(NewsletterIndexPage, "feed_rss")
def feed_rss(request, page):
    return feeds.EditionRssFeed()(request, index=page)


# --- editions ------------------------------------------------------------------------------


@page_context(NewsletterEdition)
def _edition_context(page, request, *args, **kwargs):
    send = getattr(page, "send", None) if edition_is_sent(edition=page) else None
    if send is not None:
        ids, moves = send.article_ids, send.market_moves
    elif getattr(request, "is_preview", False):
        # The preview shows the edition as it would go out now.
        ids = edition_article_ids(edition=page)
        moves = edition_market_moves() if page.digest else []
    else:
        raise Http404("Diese Ausgabe ist noch nicht erschienen.")
    return {"edition_articles": articles_by_ids(ids), "market_moves": moves, "send": send}


def email_preview(request, page) -> HttpResponse:
    """The admin's preview mode "Als E-Mail": the HTML part exactly as it goes out."""
    html = edition_mail_for(edition=page).html
    return HttpResponse(html, content_type="text/html; charset=utf-8")


route_view(NewsletterEdition, "email_preview")(email_preview)
